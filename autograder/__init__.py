"""Batch grading of course notebooks on top of nbgrader.

Stages, one module each: `course` (where things are), `release` and `nbgrader_cli`
(source -> release), `submissions` (find and check hand-ins), `staging` (the run's
nbgrader course folder and job folders), `prepare` (nbgrader's sanitizing), `sandbox`,
`kernel_launcher`, `zygote` and `guard` (the isolated kernel), `executor` (run cells,
judge tests), `backends` (local workers or Ray), `record` (gradebook, feedback,
results.json), `state` (resume), `grade` (the batch), `report` and `cli`.
"""
