"""Integrated-gradients attributions in numpy, and a figure to show them.

Integrated gradients (Sundararajan et al., 2017) attribute a class score to input pixels
by integrating the score's gradient along the straight path from a baseline (black by
default) to the image. The attributions add up to ``score(image) - score(baseline)``
(the completeness axiom), up to the error of the numerical integral.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from mlte_nb.errors import MeasurementError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FloatArray = npt.NDArray[np.float64]
GradientFn = Callable[[FloatArray], npt.ArrayLike]


def integrated_gradients(
    gradient_fn: GradientFn,
    image: npt.ArrayLike,
    *,
    baseline: npt.ArrayLike | None = None,
    steps: int = 50,
    batch_size: int = 64,
) -> FloatArray:
    """Return the integrated-gradients attributions of ``image``, shaped like it.

    The path integral is approximated with the trapezoid rule over ``steps`` intervals
    (``steps + 1`` interpolated images, evaluated in batches of ``batch_size``).

    Parameters
    ----------
    gradient_fn : callable
        Takes a batch of images, shape ``(n, *image.shape)``, and returns the gradient of
        the target class score with respect to each, same shape.
    image : array_like
        The input to explain (any shape, e.g. ``(h, w)`` or ``(h, w, channels)``).
    baseline : array_like, optional
        The reference input; zeros (a black image) by default.
    steps : int
        Number of integration intervals; more steps give a smaller completeness error.
    batch_size : int
        How many interpolated images to pass to ``gradient_fn`` at once.

    Returns
    -------
    numpy.ndarray
        Attributions, same shape as ``image``.

    Examples
    --------
    >>> grad = softmax_linear_gradient(model.coef_, model.intercept_, target=3)
    >>> attributions = integrated_gradients(grad, digit_image, steps=100)
    """
    x = np.asarray(image, dtype=np.float64)
    x0 = np.zeros_like(x) if baseline is None else np.asarray(baseline, dtype=np.float64)
    if x0.shape != x.shape:
        msg = f"baseline shape {x0.shape} differs from image shape {x.shape}; pass one like it"
        raise MeasurementError(msg)
    if steps < 1 or batch_size < 1:
        msg = f"steps and batch_size must be at least 1, got {steps} and {batch_size}"
        raise MeasurementError(msg)
    alphas = np.linspace(0.0, 1.0, steps + 1)
    weights = np.full(steps + 1, 1.0 / steps)
    weights[[0, -1]] /= 2.0  # trapezoid rule: the end points count half
    total = np.zeros_like(x)
    for start in range(0, steps + 1, batch_size):
        chunk = alphas[start : start + batch_size]
        batch = x0 + chunk.reshape(-1, *([1] * x.ndim)) * (x - x0)
        grads = _gradients(gradient_fn, batch)
        total += np.tensordot(weights[start : start + batch_size], grads, axes=1)
    return np.asarray((x - x0) * total, dtype=np.float64)


def _gradients(gradient_fn: GradientFn, batch: FloatArray) -> FloatArray:
    grads = np.asarray(gradient_fn(batch), dtype=np.float64)
    if grads.shape != batch.shape:
        msg = (
            f"gradient_fn returned shape {grads.shape} for a batch of shape {batch.shape}; "
            "it must return one gradient per image, shaped like the batch"
        )
        raise MeasurementError(msg)
    return grads


def softmax_linear_gradient(
    coef: npt.ArrayLike, intercept: npt.ArrayLike, target: int
) -> GradientFn:
    """Return a ``gradient_fn`` for a (multinomial) logistic regression on flat images.

    The score is the predicted probability of class ``target``,
    ``p = softmax(W x + b)[target]``; its gradient is ``p_t * (W_t - sum_k p_k W_k)``.
    A binary model (one row of ``coef``) is treated as softmax over ``[0, w x + b]``,
    which is how scikit-learn defines it.

    Parameters
    ----------
    coef : array_like
        ``LogisticRegression.coef_``, shape ``(n_classes, n_features)`` or
        ``(1, n_features)``.
    intercept : array_like
        ``LogisticRegression.intercept_``.
    target : int
        Index of the class to explain (a column of ``predict_proba``).

    Returns
    -------
    callable
        Maps a batch of images (``n`` x anything flattening to ``n_features``) to the
        gradients, same shape.
    """
    weights = np.atleast_2d(np.asarray(coef, dtype=np.float64))
    bias = np.atleast_1d(np.asarray(intercept, dtype=np.float64))
    if weights.shape[0] == 1:
        weights = np.vstack([np.zeros_like(weights), weights])
        bias = np.concatenate([[0.0], bias])
    if bias.shape != (weights.shape[0],) or not 0 <= target < weights.shape[0]:
        msg = (
            f"need intercept of shape ({weights.shape[0]},) and 0 <= target < "
            f"{weights.shape[0]}; got intercept shape {bias.shape} and target {target}"
        )
        raise MeasurementError(msg)

    def gradient(batch: FloatArray) -> FloatArray:
        flat = np.asarray(batch, dtype=np.float64).reshape(len(batch), -1)
        if flat.shape[1] != weights.shape[1]:
            msg = f"images have {flat.shape[1]} pixels but the model expects {weights.shape[1]}"
            raise MeasurementError(msg)
        probs = _softmax(flat @ weights.T + bias)
        grad: FloatArray = probs[:, [target]] * (weights[target] - probs @ weights)
        return grad.reshape(np.shape(batch))

    return gradient


def _softmax(logits: FloatArray) -> FloatArray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return np.asarray(shifted / shifted.sum(axis=1, keepdims=True), dtype=np.float64)


def attribution_figure(
    image: npt.ArrayLike,
    attributions: npt.ArrayLike,
    *,
    title: str = "Integrated gradients",
    cmap: str = "inferno",
    overlay_alpha: float = 0.4,
) -> Figure:
    """Draw the image, the attribution heat map (with a colour bar) and their overlay.

    The heat map is the absolute attribution, summed over the colour channel when the
    image has one (last axis). The figure uses the Agg canvas and no pyplot state, so
    it works headless; save it with ``fig.savefig(path)`` and store it as an ``Image``.

    Parameters
    ----------
    image : array_like
        The explained image, ``(h, w)`` or ``(h, w, channels)``.
    attributions : array_like
        Output of :func:`integrated_gradients`, same shape as ``image``.
    title : str
        Figure title.
    cmap : str
        Colour map of the heat map.
    overlay_alpha : float
        Opacity of the heat map over the image in the third panel.

    Returns
    -------
    matplotlib.figure.Figure
        A figure with three panels.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    picture = np.asarray(image)
    values = np.asarray(attributions, dtype=np.float64)
    if values.shape != picture.shape:
        msg = f"attributions shape {values.shape} differs from image shape {picture.shape}"
        raise MeasurementError(msg)
    heat = np.abs(values).sum(axis=-1) if picture.ndim == 3 else np.abs(values)
    grey = "gray" if picture.ndim == 2 else None
    fig = Figure(figsize=(10, 3.6), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, 3)
    axes[0].imshow(picture, cmap=grey)
    axes[0].set_title("image")
    shown = axes[1].imshow(heat, cmap=cmap)
    axes[1].set_title("attribution |IG|")
    fig.colorbar(shown, ax=axes[1], shrink=0.8)
    axes[2].imshow(picture, cmap=grey)
    axes[2].imshow(heat, cmap=cmap, alpha=overlay_alpha)
    axes[2].set_title("overlay")
    for ax in axes:
        ax.axis("off")
    fig.suptitle(title)
    return fig
