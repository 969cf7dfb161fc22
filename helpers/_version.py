"""The course's one version number: the student kit (`dlcourse-kit`, this package) and the
grader (`dlcourse`, which requires this exact kit) are released together under it."""

__version__ = "0.1.0"
