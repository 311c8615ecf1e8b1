"""Drop sphinx-thebe's inline configuration script, which Sphinx 7.4 writes twice on every
page (a console error, 'THEBE_JS_URL has already been declared'). The book does not use thebe;
Jupyter Book 1 has no setting that removes it, so this local extension disconnects its one
page hook and leaves the rest (its stylesheet is still linked and shipped)."""


def setup(app):
    for listeners in app.events.listeners.values():
        listeners[:] = [listener for listener in listeners
                        if getattr(listener.handler, "__qualname__", "") != "init_thebe_core"]
    return {"parallel_read_safe": True}
