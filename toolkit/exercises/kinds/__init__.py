"""One module per exercise kind, each defining everything about its kind in ``KIND``.

:mod:`~toolkit.exercises.kinds.base` says what a kind is; :mod:`toolkit.exercises.registry`
lists the kinds. The modules here do not import ipywidgets (see ``base``).
"""
