"""Re-use a full-mode training run when nothing that determines it has changed.

The book's runner (``scripts/run_notebooks.py``) turns this on in the kernel of each
notebook it executes in full mode: every ``model.fit(...)`` then goes through
``TrainingCache.fit``, which records the run it trained (weights, optimizer state,
history, the time of each epoch, machine, date) under a **key** made of everything that
determines the result, and, with ``--reuse``, loads a recorded run instead of training when
it meets the same key again.  A reader's notebook never turns this on: it trains.

The key (``run_key_parts``) holds the model's architecture (its configuration, layer names
left out) and its weights and optimizer state before the run, the compile configuration
(optimizer with its learning rate, loss, metrics, steps per execution), a digest of every
array passed in (data and labels: their content and therefore their order), the fit
arguments, the callbacks that change training (a learning-rate schedule: its rate for every
epoch), the seed set by ``runtime.set_seed``, the source code of every class or function not
from Keras that takes part (custom layers, losses, callbacks: the syntax tree of their
module, docstrings and comments left out) and the versions of Python, NumPy, TensorFlow and
Keras.  Any difference is a miss.  A run whose parts cannot all be named (a dataset object,
a callback that cannot be replayed, code whose source is not available) always trains.

Records live in ``results/training/<key>/`` (``record.json`` and ``weights.npz``), in git,
so that a fresh clone can re-use them.  A record that is damaged (unreadable, incomplete,
another digest, shapes that do not fit) is refused with a message in the run's log, and the
run trains again and replaces it.
"""

from __future__ import annotations

import ast
import datetime
import hashlib
import inspect
import io
import json
import os
import platform
import shutil
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any, Callable

import keras
import numpy as np

#: Where the book's training runs are recorded.
RECORDS_DIR = Path(__file__).resolve().parents[1] / "results" / "training"
#: Characters of the key used as the record's folder name.
KEY_LENGTH = 24
#: Callbacks whose effect on training the key captures and whose effect after training the
#: stored optimizer state carries (a schedule sets the learning rate, kept in the optimizer).
SCHEDULE_CALLBACKS = (keras.callbacks.LearningRateScheduler,)
#: Callbacks that only observe training (Keras adds these two itself).
PASSIVE_CALLBACKS = (keras.callbacks.History, keras.callbacks.ProgbarLogger)


class Unkeyable(Exception):
    """A run whose determining parts cannot all be named: it trains and is not recorded."""


class RecordError(ValueError):
    """A stored record that cannot be used (damaged, incomplete, or not this run's)."""


# --- digests ---------------------------------------------------------------------------

def without_docstrings(tree: ast.AST) -> ast.AST:
    """Drop the docstring of the module and of every class and function in ``tree``."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                node.body = body[1:]
    return tree


def python_digest(source: str) -> str:
    """sha256 of Python code's syntax tree without docstrings: comments, docstrings and
    layout do not change it, any change to what the code does does.

    (The tree's text comes from ``ast.dump``, which may differ between Python versions.)
    """
    return hashlib.sha256(ast.dump(without_docstrings(ast.parse(source))).encode()).hexdigest()


def array_digest(value: Any) -> str:
    """sha256 of an array's dtype, shape and bytes (a list or tuple: of each item in turn)."""
    digest = hashlib.sha256()
    if value is None:  # an argument not given (no labels, no sample weights)
        return hashlib.sha256(b"None").hexdigest()
    if isinstance(value, (list, tuple)):
        for item in value:
            digest.update(array_digest(item).encode())
        return digest.hexdigest()
    if isinstance(value, dict):
        for name in sorted(value):
            digest.update(name.encode() + array_digest(value[name]).encode())
        return digest.hexdigest()
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    if isinstance(value, np.generic):  # a scalar variable's value (an optimizer's step count)
        value = np.asarray(value)
    if not isinstance(value, np.ndarray):
        raise Unkeyable(f"cannot take a digest of a {type(value).__name__} (only arrays are keyed)")
    array = np.ascontiguousarray(value)
    digest.update(f"{array.dtype.str}{array.shape}".encode())
    digest.update(memoryview(array).cast("B"))
    return digest.hexdigest()


def _is_library(module: str) -> bool:
    return module.split(".")[0] in {"keras", "tensorflow", "numpy", "builtins", "tf_keras"}


def _code_text(obj: Any, seen: set[int]) -> list[str]:
    """The source of a class or function and of what it names in its own package: module-level
    functions and classes (followed in turn) and simple constants, so that a helper or a
    constant the code uses counts as part of it."""
    if id(obj) in seen:
        return []
    seen.add(id(obj))
    try:
        source = textwrap.dedent(inspect.getsource(obj))
    except (OSError, TypeError) as error:
        raise Unkeyable(f"the source of {getattr(obj, '__qualname__', obj)!r} is not available "
                        f"({error})") from None
    texts = [f"{obj.__module__}.{obj.__qualname__}:{python_digest(source)}"]
    for name, cell in zip(getattr(getattr(obj, "__code__", None), "co_freevars", ()), obj.__closure__ or ()) \
            if inspect.isfunction(obj) else ():
        # the values a closure was made with: paper_loss(j=10.0) and paper_loss(j=1.0) differ
        value = cell.cell_contents
        texts.append(f"{name}={value!r}" if isinstance(value, (bool, int, float, str, tuple))
                     else f"{name}:{type(value).__qualname__}")
    module = sys.modules.get(obj.__module__)
    package = obj.__module__.split(".")[0]
    for node in sorted(ast.walk(ast.parse(source)), key=lambda n: (getattr(n, "lineno", 0),
                                                                    getattr(n, "col_offset", 0))):
        value, name = None, None
        if isinstance(node, ast.Name) and module is not None and hasattr(module, node.id):
            name, value = node.id, getattr(module, node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and module is not None:
            owner = getattr(module, node.value.id, None)
            if inspect.ismodule(owner) and owner.__name__.split(".")[0] == package:
                name, value = f"{owner.__name__}.{node.attr}", getattr(owner, node.attr, None)
        if name is None:
            continue
        if inspect.isclass(value) or inspect.isfunction(value):
            if getattr(value, "__module__", "").split(".")[0] == package:
                texts += _code_text(value, seen)
        elif isinstance(value, (bool, int, float, str, bytes, tuple, frozenset)) and len(repr(value)) < 10_000:
            texts.append(f"{name}={value!r}")
        elif isinstance(value, np.ndarray):
            texts.append(f"{name}={array_digest(value)}")
    return texts


def code_digest(obj: Any) -> str:
    """The digest of the code behind a class or function not from a library (see ``_code_text``):
    an edit elsewhere in its module (a plot, a docstring) leaves it unchanged."""
    target = obj if inspect.isclass(obj) or inspect.isfunction(obj) else type(obj)
    return hashlib.sha256("\n".join(_code_text(target, set())).encode()).hexdigest()


def _custom_code(objects: list[Any]) -> dict[str, str]:
    """``{qualified name: digest}`` for every object (and base class) not from a library."""
    found: dict[str, str] = {}
    for obj in objects:
        classes = obj.__mro__ if inspect.isclass(obj) else (
            [obj] if inspect.isfunction(obj) else type(obj).__mro__)
        for item in classes:
            module = getattr(item, "__module__", "builtins") or "builtins"
            if _is_library(module):
                continue
            name = f"{module}.{item.__qualname__}"
            if name not in found:
                found[name] = code_digest(item)
    return found


def _without_names(config: Any) -> Any:
    """A serialized configuration without the names Keras makes up for layers and optimizers
    (``dense_3``, ``adam_2``: they count the objects built before in the session).  A dict
    holding nothing but a name (a dtype policy, ``{"name": "float32"}``) keeps it."""
    if isinstance(config, dict):
        inner = {key: _without_names(value) for key, value in config.items()}
        if "name" in inner and len(inner) > 1:
            inner.pop("name")
        return inner
    if isinstance(config, list):
        return [_without_names(item) for item in config]
    return config


def _canonical(value: Any) -> str:
    """JSON text of a configuration; a callable in it is named by its qualified name."""
    def named(item: Any) -> str:
        if callable(item):
            return f"{getattr(item, '__module__', '')}.{getattr(item, '__qualname__', type(item).__name__)}"
        raise Unkeyable(f"cannot name a {type(item).__name__} in the configuration")
    return json.dumps(value, sort_keys=True, default=named)


def state_digest(model: keras.Model) -> str:
    """Digest of the model's weights and, once built, its optimizer's variables."""
    values = [variable.numpy() for variable in model.weights]
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and optimizer.built:
        values += [variable.numpy() for variable in optimizer.variables]
    return array_digest(values)


def _schedule_rates(callback: keras.callbacks.LearningRateScheduler, model: keras.Model,
                    epochs: int, initial_epoch: int) -> list[float]:
    """The rate a learning-rate schedule gives each epoch, as Keras would call it."""
    rate = float(keras.ops.convert_to_numpy(model.optimizer.learning_rate))
    rates = []
    for epoch in range(initial_epoch, epochs):
        try:
            rate = float(callback.schedule(epoch, rate))
        except TypeError:  # a schedule of the epoch alone, as Keras allows
            rate = float(callback.schedule(epoch))
        rates.append(rate)
    return rates


def _fit_arguments(model: keras.Model, args: tuple, kwargs: dict) -> inspect.BoundArguments:
    """Keras' fit arguments by name, defaults filled in (``self`` is the model)."""
    bound = FIT_SIGNATURE.bind(model, *args, **kwargs)
    bound.apply_defaults()
    return bound


#: The arguments of Keras' fit (unwrapped from its traceback filter, whose signature is ``*args, **kwargs``).
FIT_SIGNATURE = inspect.signature(inspect.unwrap(keras.Model.fit))
#: Fit arguments that change nothing the run computes.
NOT_DETERMINING = {"self", "x", "y", "validation_data", "sample_weight", "callbacks", "verbose"}


def run_key_parts(model: keras.Model, args: tuple, kwargs: dict) -> dict[str, Any]:
    """Everything that determines what ``model.fit(*args, **kwargs)`` computes (see the module
    docstring), as named parts; ``Unkeyable`` when a part cannot be named."""
    from lenet_lib import runtime  # a seed set by runtime.set_seed is part of the key

    arguments = dict(_fit_arguments(model, args, kwargs).arguments)
    if getattr(model, "optimizer", None) is None or not getattr(model, "compiled", False):
        raise Unkeyable("the model is not compiled")
    used_seed = runtime.seed_in_use()
    if used_seed is None:
        raise Unkeyable("no seed was set with runtime.set_seed(): the run's order is not named")
    callbacks, schedules = [], []
    for callback in arguments.get("callbacks") or []:
        if isinstance(callback, SCHEDULE_CALLBACKS):
            callbacks.append(callback)
            schedules.append(_schedule_rates(callback, model, arguments["epochs"], arguments["initial_epoch"]))
        elif not (isinstance(callback, PASSIVE_CALLBACKS) or hasattr(callback, "replay")):
            raise Unkeyable(f"the callback {type(callback).__name__} cannot be replayed")
        # a callback with a ``replay`` method only shows progress (its contract): not part of the key
    all_layers = list(model._flatten_layers(include_self=True))
    layer_classes = [type(layer) for layer in all_layers]
    # functions a layer holds (an activation such as layers.scaled_tanh): their code counts too
    layer_classes += [value for layer in all_layers for value in vars(layer).values()
                      if inspect.isfunction(value) and not _is_library(value.__module__ or "builtins")]
    compile_config = model.get_compile_config()
    losses = getattr(model, "loss", None)
    losses = list(losses.values()) if isinstance(losses, dict) else (
        list(losses) if isinstance(losses, (list, tuple)) else [losses])
    code = _custom_code(layer_classes + [type(model.optimizer)]  # a schedule is keyed by its rates
                        + [item for item in losses if callable(item) and not isinstance(item, str)])
    parts = {
        "architecture": _canonical(_without_names(keras.saving.serialize_keras_object(model))),
        "initial state": state_digest(model),
        "compile": _canonical(_without_names(compile_config)),
        "optimizer": _canonical(_without_names(keras.saving.serialize_keras_object(model.optimizer))),
        "data": array_digest([arguments.get(name) for name in ("x", "y")]),
        "validation data": array_digest(list(arguments["validation_data"] or [])),
        "sample weights": "none" if arguments["sample_weight"] is None
                          else array_digest(arguments["sample_weight"]),
        "fit": _canonical({name: value for name, value in arguments.items()
                           if name not in NOT_DETERMINING}),
        "callbacks": _canonical([type(callback).__qualname__ for callback in callbacks]),
        "schedules": _canonical(schedules),
        "seed": str(used_seed),
        "code": _canonical(code),
        "versions": _canonical(library_versions()),
    }
    return parts


def library_versions() -> dict[str, str]:
    """The versions that can change a run's numbers."""
    import tensorflow as tf

    return {"python": ".".join(platform.python_version_tuple()[:2]), "numpy": np.__version__,
            "tensorflow": tf.__version__, "keras": keras.__version__}


def run_key(parts: dict[str, str]) -> str:
    """One sha256 over the named parts."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


# --- records -----------------------------------------------------------------------------

def _file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _model_state(model: keras.Model) -> dict[str, np.ndarray]:
    arrays = {f"weight_{i}": variable.numpy() for i, variable in enumerate(model.weights)}
    arrays.update({f"optimizer_{i}": variable.numpy()
                   for i, variable in enumerate(model.optimizer.variables)})
    return arrays


def write_record(folder: Path, key: str, parts: dict[str, str], model: keras.Model,
                 history: dict[str, list[float]], epochs: list[int], epoch_seconds: list[float],
                 machine: str) -> Path:
    """Store a trained run under ``folder/<key>/``, whole or not at all (a damaged record of
    the same key is replaced)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / key[:KEY_LENGTH]
    staging = Path(tempfile.mkdtemp(prefix=f".{key[:KEY_LENGTH]}.", dir=folder))
    try:
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **_model_state(model))
        (staging / "weights.npz").write_bytes(buffer.getvalue())
        record = {
            "key": key,
            "parts": parts,
            "machine": machine,
            "date": datetime.date.today().isoformat(),
            "epochs": epochs,
            "epoch_seconds": [float(s) for s in epoch_seconds],  # whole: a replay shows the same sums
            "seconds": round(sum(epoch_seconds), 1),
            "history": {name: [float(v) for v in values] for name, values in history.items()},
            "weights": len(model.weights),
            "optimizer_variables": len(model.optimizer.variables),
            "weights_sha256": _file_sha256(staging / "weights.npz"),
        }
        (staging / "record.json").write_text(json.dumps(record, indent=1) + "\n")
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return target


def read_record(folder: Path, key: str, model: keras.Model) -> tuple[dict, dict[str, np.ndarray]]:
    """The record of ``key`` and its arrays, checked against ``model``; ``FileNotFoundError``
    if there is none, ``RecordError`` saying what is wrong if it cannot be used."""
    target = folder / key[:KEY_LENGTH]
    if not target.is_dir():
        raise FileNotFoundError(target)
    try:
        record = json.loads((target / "record.json").read_text())
    except (OSError, ValueError) as error:
        raise RecordError(f"{target}/record.json cannot be read ({error})") from None
    required = ("key", "history", "epochs", "epoch_seconds", "weights", "optimizer_variables",
                "weights_sha256", "machine", "date")
    missing = [name for name in required if name not in record]
    if missing:
        raise RecordError(f"{target}/record.json lacks {', '.join(missing)}")
    if record["key"] != key:
        raise RecordError(f"{target} holds another run (key {record['key'][:12]}...)")
    weights_file = target / "weights.npz"
    if not weights_file.is_file() or _file_sha256(weights_file) != record["weights_sha256"]:
        raise RecordError(f"{weights_file} is missing or not the file the record names (digest differs)")
    with np.load(weights_file, allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    expected = ([(f"weight_{i}", v) for i, v in enumerate(model.weights)]
                + [(f"optimizer_{i}", None) for i in range(record["optimizer_variables"])])
    if record["weights"] != len(model.weights) or len(arrays) != len(expected):
        raise RecordError(f"{target} holds {len(arrays)} arrays; this model needs {len(expected)}")
    for name, variable in expected:
        if name not in arrays:
            raise RecordError(f"{weights_file} lacks {name}")
        if variable is not None and tuple(arrays[name].shape) != tuple(variable.shape):
            raise RecordError(f"{weights_file}: {name} has shape {arrays[name].shape}, "
                              f"the model's is {tuple(variable.shape)}")
        if arrays[name].dtype.kind == "f" and not np.isfinite(arrays[name]).all():
            raise RecordError(f"{weights_file}: {name} holds values that are not finite")
    lengths = {len(values) for values in record["history"].values()} | {len(record["epoch_seconds"]),
                                                                        len(record["epochs"])}
    if len(lengths) != 1:
        raise RecordError(f"{target}/record.json: history, epochs and epoch times differ in length")
    return record, arrays


def _restore(model: keras.Model, record: dict, arrays: dict[str, np.ndarray]) -> None:
    """Put a recorded run's weights and optimizer state into ``model``."""
    optimizer = model.optimizer
    if not optimizer.built:
        optimizer.build(model.trainable_variables)
    if len(optimizer.variables) != record["optimizer_variables"]:
        raise RecordError(f"the record holds {record['optimizer_variables']} optimizer variables; "
                          f"this optimizer has {len(optimizer.variables)}")
    for i, variable in enumerate(optimizer.variables):
        if tuple(variable.shape) != tuple(arrays[f"optimizer_{i}"].shape):
            raise RecordError(f"optimizer variable {i} has another shape in the record")
    for i, variable in enumerate(model.weights):
        variable.assign(arrays[f"weight_{i}"])
    for i, variable in enumerate(optimizer.variables):
        variable.assign(arrays[f"optimizer_{i}"])


class _EpochClock(keras.callbacks.Callback):
    """Wall-clock seconds of each epoch of a run being recorded."""

    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


# --- the cache -----------------------------------------------------------------------------

class TrainingCache:
    """Records training runs in ``folder`` and, when ``reuse`` is true, re-uses them.

    ``events`` lists what each ``fit`` did: ``status`` ``"trained"`` or ``"re-used"``, the
    key, the machine and date of the run whose result the notebook shows, its training
    seconds, and a ``note`` when a record was refused or a run could not be keyed.  With
    ``log`` set, the events are also written there (as JSON) after every fit.
    """

    def __init__(self, folder: Path = RECORDS_DIR, *, reuse: bool = False, record: bool = True,
                 log: Path | None = None):
        self.folder, self.reuse, self.record, self.log = Path(folder), reuse, record, log
        self.events: list[dict] = []

    def _note(self, event: dict) -> None:
        self.events.append(event)
        if self.log is not None:
            Path(self.log).write_text(json.dumps(self.events, indent=1) + "\n")

    def fit(self, fit: Callable, model: keras.Model, args: tuple, kwargs: dict):
        """``fit(model, *args, **kwargs)`` (Keras' own fit), or its recorded result."""
        from lenet_lib.training import machine

        try:
            parts = run_key_parts(model, args, kwargs)
        except Unkeyable as reason:
            history = fit(model, *args, **kwargs)
            self._note({"status": "trained", "key": None, "machine": machine(),
                        "date": datetime.date.today().isoformat(), "note": f"not recorded: {reason}"})
            return history
        key = run_key(parts)
        note = None
        if self.reuse:
            try:
                record, arrays = read_record(self.folder, key, model)
                _restore(model, record, arrays)
                history = self._replay(model, record, args, kwargs)
                self._note({"status": "re-used", "key": key[:KEY_LENGTH], "machine": record["machine"],
                            "date": record["date"], "seconds": record["seconds"]})
                return history
            except FileNotFoundError:
                note = "no record of this run"
            except RecordError as error:
                note = f"record refused, training again: {error}"
        clock = _EpochClock()
        bound = _fit_arguments(model, args, kwargs)
        bound.arguments["callbacks"] = list(bound.arguments.get("callbacks") or []) + [clock]
        history = fit(*bound.args, **bound.kwargs)
        event = {"status": "trained", "key": key[:KEY_LENGTH], "machine": machine(),
                 "date": datetime.date.today().isoformat(), "seconds": round(sum(clock.seconds), 1)}
        if note:
            event["note"] = note
        if self.record:
            write_record(self.folder, key, parts, model, history.history, list(history.epoch),
                         clock.seconds, event["machine"])
        self._note(event)
        return history

    @staticmethod
    def _replay(model: keras.Model, record: dict, args: tuple, kwargs: dict) -> keras.callbacks.History:
        """The History a trained run returned, and its callbacks shown the recorded epochs."""
        bound = _fit_arguments(model, args, kwargs)
        epochs = bound.arguments["epochs"]
        for callback in bound.arguments.get("callbacks") or []:
            if hasattr(callback, "replay"):
                callback.set_model(model)
                callback.replay(record["history"], record["epoch_seconds"], epochs)
        history = keras.callbacks.History()
        history.set_model(model)
        history.set_params({"epochs": epochs, "verbose": bound.arguments["verbose"]})
        history.epoch = list(record["epochs"])
        history.history = {name: list(values) for name, values in record["history"].items()}
        model.history = history
        return history


_active: TrainingCache | None = None
_original_fit: Callable | None = None


def enable(folder: Path | str = RECORDS_DIR, *, reuse: bool = False, record: bool = True,
           log: Path | str | None = None) -> TrainingCache:
    """Send every ``keras.Model.fit`` in this process through a ``TrainingCache`` (the runner
    calls this in each kernel it starts; ``disable`` undoes it)."""
    global _active, _original_fit
    disable()
    _original_fit = keras.Model.fit
    cache = TrainingCache(Path(folder), reuse=reuse, record=record, log=None if log is None else Path(log))
    original = _original_fit

    def fit(self, *args, **kwargs):
        return cache.fit(original, self, args, kwargs)

    fit.__doc__ = original.__doc__
    keras.Model.fit = fit
    _active = cache
    return cache


def disable() -> None:
    """Give ``keras.Model.fit`` back its own code."""
    global _active, _original_fit
    if _original_fit is not None:
        del keras.Model.fit  # the patch lives in Model's own dictionary; Keras' fit is inherited
    _active, _original_fit = None, None


def latest_run() -> dict | None:
    """The last fit of this process through an enabled cache (``None`` when there is none):
    results name the run they come from, which may be a recorded one."""
    return _active.events[-1] if _active is not None and _active.events else None
