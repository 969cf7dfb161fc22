"""The feedback page of a partly wrong hw1 hand-in, rendered in headless Chromium: points
per graded cell, the total, and the logic-grid and loss-explorer plots as pictures."""

from browser import browser_page, save_screenshot
from grading import autograded_cells


def test_partly_wrong_feedback_shows_points_total_and_plots(graded):
    batch = graded("hw1_foundations")
    page_file = batch.out / "feedback" / "partly_wrong" / "hw1_foundations.html"
    row = batch.rows["partly_wrong"]
    with browser_page() as page:
        page.goto(page_file.resolve().as_uri(), wait_until="load")
        save_screenshot(page, "hw1_feedback_partly_wrong.png")
        text = page.inner_text("body")
        badges = page.locator(".grade-points").all_inner_texts()
        pictures = page.locator("img[src^='data:image/png']").count()
    assert f"Autograded total: {float(row['score']):g} / {float(row['max_score']):g} points" in text
    assert len(badges) == len(autograded_cells("hw1_foundations"))
    assert any(b.startswith("0 / ") for b in badges) and any(b.startswith("2 / 2") for b in badges)
    assert "VBox(children=" not in text and "HBox(children=" not in text
    assert pictures >= 2, "the logic grid and the loss explorer should appear as images"
    assert "BEGIN HIDDEN TESTS" not in page_file.read_text()
