"""Looking at a trained classifier: confusion matrix, confused pairs, worst mistakes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import keras


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, classes: int = 10) -> np.ndarray:
    """counts[true, predicted] over all examples: scikit-learn's, with every class
    listed, so the matrix is classes x classes even when a digit never occurs."""
    from sklearn import metrics

    y_true, y_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    if y_true.shape != y_pred.shape:
        raise ValueError(f"{y_true.shape[0]} labels but {y_pred.shape[0]} predictions")
    for name, values in (("labels", y_true), ("predictions", y_pred)):
        # scikit-learn silently leaves out values outside ``labels``: a matrix missing examples
        if values.dtype.kind not in "iu":
            raise ValueError(f"{name} must be whole class numbers, got dtype {values.dtype} "
                             f"(one-hot rows? take .argmax(axis=1) first)")
        outside = values[(values < 0) | (values >= classes)]
        if outside.size:
            raise ValueError(f"{name} must lie in 0..{classes - 1}; found {outside[0]} "
                             f"({outside.size} of {values.size} outside)")
    return metrics.confusion_matrix(y_true, y_pred, labels=np.arange(classes))


def most_confused(counts: np.ndarray, top: int = 5) -> pd.DataFrame:
    """The ``top`` (true, predicted) pairs with the most mistakes, largest first."""
    off_diagonal = counts.copy()
    np.fill_diagonal(off_diagonal, 0)
    order = np.argsort(-off_diagonal, axis=None, kind="stable")[:top]
    rows = [(int(t), int(p), int(off_diagonal[t, p]))
            for t, p in zip(*np.unravel_index(order, counts.shape)) if off_diagonal[t, p]]
    return pd.DataFrame(rows, columns=["true", "predicted", "mistakes"])


def worst_mistakes(probabilities: np.ndarray, y_true: np.ndarray, top: int = 8) -> np.ndarray:
    """Indices of the misclassified examples the model was most sure about."""
    predicted = probabilities.argmax(axis=1)
    wrong = np.flatnonzero(predicted != y_true)
    confidence = probabilities[wrong, predicted[wrong]]
    return wrong[np.argsort(-confidence, kind="stable")[:top]]


@dataclass
class Evaluation:
    """What ``report`` measured on the test set, for the chapter's prose and checks."""

    probabilities: np.ndarray
    predicted: np.ndarray
    counts: np.ndarray
    test_accuracy: float


def evaluate(model, x_test: np.ndarray, y_test: np.ndarray) -> Evaluation:
    """Predict every test digit once and compute accuracy and confusion matrix."""
    probabilities = np.asarray(model.predict(x_test, verbose=0))
    if probabilities.shape != (len(y_test), 10):
        raise ValueError(f"expected (n, 10) probabilities for {len(y_test)} digits, "
                         f"got {probabilities.shape}")
    predicted = probabilities.argmax(axis=1)
    return Evaluation(probabilities, predicted, confusion_matrix(y_test, predicted),
                      float((predicted == np.asarray(y_test)).mean()))


def report(model: "keras.Model", x_test: np.ndarray, y_test: np.ndarray, history: dict[str, list[float]], *,
           validation_name: str = "validation", samples: int = 16) -> Evaluation:
    """The look at a trained network every tutorial chapter takes, in one call.

    Shows, in order: the training curves, the confusion matrix on the test set with the
    most confused pairs, ``samples`` random test digits with the network's answers
    (mistakes framed in red and labelled with the true digit; ``samples=0`` leaves them out,
    for the chapters after the first, where they would repeat its picture), and the eight
    mistakes the network was most sure of.  The chapter *The Medium LeNet* explains each part.
    Returns the ``Evaluation`` so the chapter can quote and check its numbers.
    """
    from IPython.display import Markdown, display

    from lenet_lib import plots

    result = evaluate(model, x_test, y_test)
    y_test = np.asarray(y_test)
    display(plots.show_history(history, title="Training curves", validation_name=validation_name))
    display(plots.show_confusion(result.counts, title=f"Confusion matrix on the {len(y_test):,} test digits"))
    display(Markdown("**The most frequent mistakes**"))
    with pd.option_context("display.multi_sparse", False):  # every row names its true digit
        display(most_confused(result.counts, top=5).set_index(["true", "predicted"]))
    if samples:
        sample = np.random.default_rng(0).choice(len(y_test), size=min(samples, len(y_test)), replace=False)
        said, true = result.predicted[sample], y_test[sample]
        titles = [f"said {s}" if s == t else f"said {s} (true {t})" for s, t in zip(said, true)]
        display(plots.show_digits(x_test[sample], titles, wrong=said != true, columns=4,
                                  title="Random test digits and the network's answers"))
    worst = worst_mistakes(result.probabilities, y_test, top=8)
    if len(worst):
        display(plots.show_probabilities(x_test[worst], result.probabilities[worst], y_test[worst],
                                         columns=4, title="The mistakes it was most sure of"))
    return result
