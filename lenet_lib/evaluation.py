"""Looking at a trained classifier: confusion matrix, confused pairs, worst mistakes."""

from __future__ import annotations

import numpy as np
import pandas as pd


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, classes: int = 10) -> np.ndarray:
    """counts[true, predicted] over all examples."""
    y_true, y_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    if y_true.shape != y_pred.shape:
        raise ValueError(f"{y_true.shape[0]} labels but {y_pred.shape[0]} predictions")
    counts = np.zeros((classes, classes), dtype=int)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts


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
