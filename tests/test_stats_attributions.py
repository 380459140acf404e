"""Integrated gradients on a real scikit-learn model trained on the bundled digits."""

from __future__ import annotations

import io

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression

from mlte_nb.errors import MeasurementError
from mlte_nb.stats import attribution_figure, integrated_gradients, softmax_linear_gradient


@pytest.fixture(scope="module")
def digits():
    images, labels = load_digits(return_X_y=True)
    model = LogisticRegression(max_iter=3000).fit(images[:1500], labels[:1500])
    return model, images[1500:]


def probability(model, images, target):
    return model.predict_proba(np.asarray(images).reshape(len(images), -1))[:, target]


class TestIntegratedGradients:
    @pytest.mark.parametrize("index", [0, 17, 101])
    def test_completeness_on_digits_model(self, digits, index):
        """Attributions sum to f(image) - f(baseline), as the axiom says."""
        model, test_images = digits
        image = test_images[index].reshape(8, 8)
        target = int(model.predict(image.reshape(1, -1))[0])
        gradient = softmax_linear_gradient(model.coef_, model.intercept_, target)
        attributions = integrated_gradients(gradient, image, steps=200)
        f_image, f_base = probability(model, [image, np.zeros_like(image)], target)
        assert attributions.shape == image.shape
        assert attributions.sum() == pytest.approx(f_image - f_base, abs=1e-3)

    def test_completeness_with_a_grey_baseline(self, digits):
        model, test_images = digits
        image = test_images[3]
        baseline = np.full_like(image, 8.0)
        gradient = softmax_linear_gradient(model.coef_, model.intercept_, 5)
        attributions = integrated_gradients(gradient, image, baseline=baseline, steps=300)
        f_image, f_base = probability(model, [image, baseline], 5)
        assert attributions.sum() == pytest.approx(f_image - f_base, abs=1e-3)

    def test_error_shrinks_with_more_steps(self, digits):
        model, test_images = digits
        image = test_images[0]
        target = int(model.predict(image.reshape(1, -1))[0])
        gradient = softmax_linear_gradient(model.coef_, model.intercept_, target)
        f_image, f_base = probability(model, [image, np.zeros_like(image)], target)
        errors = [
            abs(integrated_gradients(gradient, image, steps=s).sum() - (f_image - f_base))
            for s in (5, 50)
        ]
        assert errors[1] < errors[0]

    def test_linear_score_is_exact_and_batches_do_not_matter(self):
        weights = np.arange(12.0).reshape(3, 4)
        image = np.linspace(-1, 1, 12).reshape(3, 4)

        def gradient(batch):
            return np.broadcast_to(weights, batch.shape)

        for batch_size in (1, 4, 64):
            found = integrated_gradients(gradient, image, steps=7, batch_size=batch_size)
            assert np.allclose(found, image * weights)

    def test_baseline_shape_must_match(self):
        with pytest.raises(MeasurementError, match="baseline shape"):
            integrated_gradients(np.zeros_like, np.ones((2, 2)), baseline=np.zeros(3))

    def test_gradient_shape_must_match(self):
        with pytest.raises(MeasurementError, match="gradient_fn returned shape"):
            integrated_gradients(lambda batch: batch.sum(axis=0), np.ones((2, 2)))

    def test_steps_must_be_positive(self):
        with pytest.raises(MeasurementError, match="at least 1"):
            integrated_gradients(np.zeros_like, np.ones(3), steps=0)


class TestSoftmaxLinearGradient:
    def test_matches_finite_differences(self, digits):
        model, test_images = digits
        image = test_images[7]
        gradient = softmax_linear_gradient(model.coef_, model.intercept_, 2)(image[None, :])[0]
        eps = 1e-5
        bumped = image + eps * np.eye(64)
        lowered = image - eps * np.eye(64)
        numeric = (probability(model, bumped, 2) - probability(model, lowered, 2)) / (2 * eps)
        assert np.allclose(gradient, numeric, atol=1e-7)

    def test_binary_model(self, digits):
        images, labels = load_digits(return_X_y=True)
        keep = labels < 2
        model = LogisticRegression(max_iter=3000).fit(images[keep], labels[keep])
        image = images[keep][-1]
        gradient = softmax_linear_gradient(model.coef_, model.intercept_, 1)
        attributions = integrated_gradients(gradient, image, steps=300)
        f_image, f_base = probability(model, [image, np.zeros_like(image)], 1)
        assert attributions.sum() == pytest.approx(f_image - f_base, abs=1e-3)

    def test_bad_target(self, digits):
        model, _ = digits
        with pytest.raises(MeasurementError, match="target < 10"):
            softmax_linear_gradient(model.coef_, model.intercept_, 10)

    def test_wrong_image_size(self, digits):
        model, _ = digits
        gradient = softmax_linear_gradient(model.coef_, model.intercept_, 0)
        with pytest.raises(MeasurementError, match="model expects 64"):
            gradient(np.zeros((2, 7, 7)))


class TestAttributionFigure:
    @pytest.mark.parametrize("shape", [(8, 8), (6, 5, 3)])
    def test_three_panels_and_a_colour_bar(self, shape):
        rng = np.random.default_rng(0)
        image = rng.random(shape)
        fig = attribution_figure(image, rng.normal(size=shape), title="digit 3")
        assert len(fig.axes) == 4  # image, heat map, overlay, colour bar
        assert fig._suptitle.get_text() == "digit 3"
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        assert buffer.getvalue().startswith(b"\x89PNG")

    def test_shapes_must_match(self):
        with pytest.raises(MeasurementError, match="attributions shape"):
            attribution_figure(np.ones((4, 4)), np.ones((4, 3)))
