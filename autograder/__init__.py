"""Batch grading of course notebooks on top of nbgrader.

Stages, one module each: `course` (where things are), `nbgrader_cli` (run nbgrader),
`release` (source -> release), `submissions` (find and check what students handed in),
`staging` (an nbgrader course folder for one grading run), `gradebook` (read scores),
`grade` (the batch), `report` (grades.csv and the printed table), `cli` (the command line).
"""
