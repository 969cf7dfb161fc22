"""nbgrader configuration for the course.

`nbgrader generate_assignment NAME` turns `source/NAME/` into `release/NAME/`, and
`nbgrader autograde NAME` grades `submitted/<student>/NAME/`. The autograder copies this
file into every course folder it stages, so these settings hold for releases and grading.
"""

c = get_config()  # noqa: F821 (injected by traitlets when it loads this file)

c.CourseDirectory.course_id = "dl-notebook-course"
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
# judges.py: an assignment's grader-side judges (hidden-test code): never released.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".DS_Store", "*.egg-info", "judges.py",
]

# The stub a student sees where a solution was removed.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Deep-learning cells (training loops, a diffusion sampler on the CPU) run for minutes,
# not nbgrader's default 30 seconds. A cell that exceeds this fails, it never passes.
c.Execute.timeout = 600
c.Execute.startup_timeout = 120
c.Execute.interrupt_on_timeout = True

# nbgrader gives a test cell zero when it writes anything to stderr. PyTorch and CUDA
# print harmless warnings there (deprecations, TF32 and NNPACK notices, "CUDA
# initialization" messages); drop those stderr chunks before grading so correct answers
# keep their points. Errors are separate outputs and are never dropped.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = (
    r"(?m)"
    r"^\S.*:\d+: \w*Warning: "  # Python's warnings module: file:line: Category: message
    r"|^\[W\d{4} [\d:.]+ "  # PyTorch's C++ warnings: [W1123 01:02:03.456 file.cpp:12]
    r"|CUDA initialization|NNPACK|TF32"
    r"|Potential NSFW content was detected"  # diffusers' safety checker logs each flag
)

# A student who is not yet in the gradebook is added on their first submission.
c.Autograde.create_student = True
