"""Run the digits classifier over a batch of images, one image at a time, like the camera would.

Usage: python model_predict.py --model model/digits_model.json --weights model/digits_weights.npz
       --images data/digits/test_images.npz [--repeat N]

Only numpy is needed: the model is a softmax-linear classifier whose weights were
saved by the garden_buddy notebook (no pickle).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np


def load_model(model_path: Path, weights_path: Path) -> tuple[dict, np.ndarray, np.ndarray]:
    """Return the architecture description, the weight matrix and the biases."""
    architecture = json.loads(model_path.read_text())
    if architecture.get("kind") != "softmax-linear":
        sys.exit(f"{model_path}: unknown model kind {architecture.get('kind')!r}")
    with np.load(weights_path) as weights:
        return architecture, weights["coef"], weights["intercept"]


def predict(image: np.ndarray, coef: np.ndarray, intercept: np.ndarray, scale: float) -> int:
    """Return the predicted class index of one image."""
    scores = coef @ (image.reshape(-1) / scale) + intercept
    return int(np.argmax(scores))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--weights", type=Path, required=True)
    parser.add_argument("--images", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=20, help="Passes over the images.")
    args = parser.parse_args()
    architecture, coef, intercept = load_model(args.model, args.weights)
    with np.load(args.images) as data:
        images, labels = data["images"], data["labels"]
    started = time.perf_counter()
    correct = 0
    for _ in range(args.repeat):
        for image, label in zip(images, labels, strict=True):
            correct += predict(image, coef, intercept, architecture["input_scale"]) == label
    elapsed = time.perf_counter() - started
    total = args.repeat * len(images)
    print(f"predicted {total} images in {elapsed:.2f} s; accuracy {correct / total:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
