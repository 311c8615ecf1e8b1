"""The installed stack is the one the README promises."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys

import keras


def test_keras_3():
    assert keras.__version__.startswith("3.")


def test_opencv_is_the_headless_wheel_and_imports_without_a_display():
    installed = {dist.metadata["Name"].lower() for dist in importlib.metadata.distributions()}
    assert "opencv-python-headless" in installed
    assert "opencv-python" not in installed, "two OpenCV wheels write the same cv2/ folder"
    env = {key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY")}
    result = subprocess.run([sys.executable, "-c", "import cv2; print(cv2.__version__)"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
