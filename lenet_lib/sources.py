"""The works the course reproduces or cites, and the figures each one publishes.

This is the one list of published figures: a chapter quotes a tutorial's or the
paper's number from here (``SOURCES["000_maxpool"].figure("test accuracy")``),
and ``tests/test_numbers.py`` accepts a number typed in the book's prose only if
it is one of these.  Every other measured number on a page comes from the run.

The tutorials' keys are the names their chapters save results under
(``training.save_result``), so a result and its published figures meet by key.
Figures are written as published (``"98.40"``, not ``98.4``), including the
numbers of the training logs the tutorials show.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Published:
    """One figure a source publishes: what it measures, its value as written, its unit."""

    what: str
    value: str
    unit: str = ""

    @property
    def number(self) -> float:
        """The value as a number (``"51,902"`` -> 51902.0)."""
        return float(self.value.replace(",", ""))

    @property
    def fraction(self) -> float:
        """A percentage as a fraction (``98.69 %`` -> 0.9869), as Keras reports accuracy."""
        if self.unit != "%":
            raise ValueError(f"{self.what} is in {self.unit or 'no unit'}, not a percentage")
        return round(self.number / 100, 10)

    def __str__(self) -> str:
        return f"{self.value} {self.unit}".strip()


@dataclass(frozen=True)
class Source:
    """A tutorial, paper or web page, as the book cites it."""

    key: str
    title: str
    author: str
    site: str
    url: str | None
    year: int | None
    figures: tuple[Published, ...] = ()

    def figure(self, what: str) -> Published:
        """The figure described exactly as ``what``; a KeyError lists the ones there are."""
        for figure in self.figures:
            if figure.what == what:
                return figure
        known = ", ".join(repr(f.what) for f in self.figures) or "none"
        raise KeyError(f"{self.key} publishes no figure {what!r}; it publishes: {known}")

    def citation(self) -> str:
        """``Author, *Title* (site, year)`` in Markdown, linked when the source has a URL."""
        title = f"[*{self.title}*]({self.url})" if self.url else f"*{self.title}*"
        where = ", ".join(str(part) for part in (self.site, self.year) if part)
        return f"{self.author}, {title} ({where})"


def _percent(what: str, value: str) -> Published:
    return Published(what, value, "%")


def _seconds(what: str, value: str) -> Published:
    return Published(what, value, "s")


SOURCES: dict[str, Source] = {source.key: source for source in (
    Source(
        key="000_maxpool",
        title="LeNet and MNIST handwritten digit classification",
        author="Khuyen Le", site="Medium", year=2021,
        url="https://medium.com/mlearning-ai/lenet-and-mnist-handwritten-digit-classification-354f5646c590",
        figures=(
            Published("parameters", "51,902"),
            Published("epochs", "50"),
            Published("steps per epoch", "468"),
            _percent("test accuracy", "98.69"),
            _percent("training accuracy after epoch 1", "53.90"),
            _percent("validation accuracy after epoch 1", "90.97"),
            _percent("training accuracy after epoch 2", "90.72"),
            _percent("validation accuracy after epoch 2", "93.78"),
            _percent("training accuracy after epoch 50", "99.22"),
            Published("validation loss after epoch 1", "36.5179"),
            Published("validation loss after epoch 50", "6.0475"),
            _seconds("seconds of epoch 1", "35"),
            _seconds("seconds per epoch after the first", "2"),
        )),
    Source(
        key="001_slides",
        title="手写数字识别 1.4 LeNet-5",
        author="@tm9161", site="lecture slides", year=None, url=None,
        figures=(
            Published("parameters", "61,706"),
            Published("C1 parameters", "156"),
            Published("C3 parameters", "2,416"),
            Published("C5 parameters", "48,120"),
            Published("F6 parameters", "10,164"),
            Published("output parameters", "850"),
            Published("epochs", "10"),
            Published("steps per epoch", "1,875"),
            _percent("test accuracy", "98.40"),
            _percent("training accuracy after epoch 1", "47.63"),
            _percent("validation accuracy after epoch 1", "92.86"),
            _percent("training accuracy after epoch 10", "98.79"),
            _seconds("seconds of epoch 1", "37"),
            _seconds("fewest seconds per epoch", "28"),
            _seconds("most seconds per epoch after the first", "31"),
            _percent("error rate of LeCun et al. on US zip codes, 1990", "1"),
            _percent("rejection rate of LeCun et al. on US zip codes, 1990", "9"),
        )),
    Source(
        key="002_classic",
        title="LeNet-5 – a classic CNN architecture",
        author="engmrk.com", site="Data Driven Investor (Medium), first on engmrk.com", year=2018,
        url="https://medium.datadriveninvestor.com/lenet-5-a-classic-cnn-architecture-c87d0b03560d",
        figures=(
            Published("C3 parameters", "1,516"),
            Published("C3 parameters if fully connected", "2,400"),
            Published("C3 connections", "151,600"),
            Published("C3 connections if fully connected", "240,000"),
        )),
    Source(
        key="003_tensorflow",
        title="LeNet with TensorFlow",
        author="mrgrhn", site="Analytics Vidhya (Medium)", year=2021,
        url="https://medium.com/analytics-vidhya/lenet-with-tensorflow-a35da0d503df",
        figures=(
            Published("parameters", "61,706"),
            Published("epochs", "40"),
            Published("batch size", "64"),
            Published("validation images", "2,000"),
            Published("steps per epoch", "907"),
            _percent("test accuracy", "98.51"),
            _percent("training accuracy after epoch 1", "29.50"),
            _percent("validation accuracy after epoch 1", "94.50"),
            _percent("training accuracy after epoch 2", "89.43"),
            _percent("validation accuracy after epoch 2", "94.90"),
            _percent("training accuracy after epoch 40", "98.75"),
            _percent("validation accuracy after epoch 40", "99.15"),
            _seconds("seconds of epoch 1", "11"),
            _seconds("fewest seconds per epoch", "4"),
            _seconds("most seconds per epoch after the first", "5"),
        )),
    Source(
        key="004_pyimagesearch",
        title="LeNet – Convolutional Neural Network in Python",
        author="Adrian Rosebrock", site="PyImageSearch", year=2016,
        url="https://pyimagesearch.com/2016/08/01/lenet-convolutional-neural-network-in-python/",
        figures=(
            Published("epochs", "20"),
            Published("batch size", "128"),
            Published("learning rate", "0.01"),
            _percent("test accuracy", "98.49"),
            _percent("training accuracy", "98.90"),
            _seconds("seconds per epoch on a Titan X GPU", "3"),
            _seconds("seconds of the whole training on a Titan X GPU", "60"),
            _seconds("fewest seconds per epoch on a CPU", "70"),
            _seconds("most seconds per epoch on a CPU", "90"),
        )),
    Source(
        key="paper_lenet5",
        title="Gradient-based learning applied to document recognition",
        author="Y. LeCun, L. Bottou, Y. Bengio and P. Haffner",
        site="Proceedings of the IEEE 86(11):2278–2324", year=1998,
        url="http://yann.lecun.com/exdb/publis/pdf/lecun-01a.pdf",
        figures=(
            Published("parameters", "60,000"),
            Published("connections", "340,908"),
            Published("C3 parameters", "1,516"),
            Published("C3 connections", "151,600"),
            Published("passes", "20"),
            _percent("test error", "0.95"),
            _percent("test error with distortions", "0.8"),
            _percent("training error after 20 passes", "0.35"),
            _percent("LeNet-1 test error", "1.7"),
            _percent("LeNet-4 test error", "1.1"),
        )),
    Source(
        key="mnist",
        title="The MNIST database of handwritten digits",
        author="Y. LeCun, C. Cortes and C. J. C. Burges", site="yann.lecun.com", year=None,
        url="http://yann.lecun.com/exdb/mnist/",
        figures=(
            Published("training images", "60,000"),
            Published("test images", "10,000"),
        )),
    Source(
        key="harley_vis",
        title="An Interactive Node-Link Visualization of Convolutional Neural Networks",
        author="Adam W. Harley", site="ISVC", year=2015,
        url="https://www.cs.ryerson.ca/~aharley/vis/conv/"),
)}


def published_figures() -> list[tuple[Source, Published]]:
    """Every published figure with its source, in the order of ``SOURCES``."""
    return [(source, figure) for source in SOURCES.values() for figure in source.figures]
