"""Batch grading of course notebooks on top of nbgrader.

Stages, one module each: `course` (where things are), `release` and `nbgrader_api`
(source -> release, nbgrader in-process), `submissions` (find and check hand-ins),
`staging` (the run's nbgrader course folder and job folders), `prepare` (nbgrader's
sanitizing), `sandbox/` (everything that launches or runs inside the sandbox: bubblewrap,
limits, the kernel launcher, the fork server, the guard, the kernel handles), `executor`
(run one job's cells, judge tests), `worker` (a slot that runs jobs one after another),
`backends` (local workers or Ray), `record` (gradebook, feedback, results.json), `state`
(resume), `grade` (the batch), `report` and `cli`.
"""
