"""Everything that launches or runs inside a submission's sandbox, in one folder for review.

`bwrap` (what the sandbox sees), `limits` (rlimits), `launcher` (the one way a kernel
process starts), `zygote` (a slot's fork server), `guard` (restores what student code
patches before each test) and `kernels` (the grader's handles on those processes).
"""
