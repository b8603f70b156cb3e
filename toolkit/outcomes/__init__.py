"""Field outcomes: Kirkpatrick levels 3 (behaviour on the job) and 4 (results in the agencies).

- :mod:`~toolkit.outcomes.ucr`: agency data in the layout of the FBI UCR human-trafficking file,
  validated and summed to one row per agency and year (the real 2013-2020 file ships as package
  data, :func:`~toolkit.outcomes.ucr.bundled_ucr_file`);
- :mod:`~toolkit.outcomes.rollout`: which agencies trained when;
- :mod:`~toolkit.outcomes.victims`: optional victim-support records, summarised per group;
- :mod:`~toolkit.outcomes.estimate`: staggered difference-in-differences (Callaway and
  Sant'Anna, via the ``differences`` package), interrupted time series (statsmodels GLM);
- :mod:`~toolkit.outcomes.followup`: the level-3 follow-up and supervisor answers;
- :mod:`~toolkit.outcomes.synthetic`: synthetic roll-outs and injected effects (demo, tests);
- :mod:`~toolkit.outcomes.evaluate`: evaluate, then disclose, for the outcomes report;
- :mod:`~toolkit.outcomes.plots`: its figures;
- :mod:`~toolkit.outcomes.report`: the ``cttk report outcomes`` entry point.
"""
