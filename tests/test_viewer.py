"""``synthagent view``: runs made by the real eval loop, rendered to one HTML file and driven in headless Chromium.

The hostile agent writes markup that would run script if the page ever parsed run data as HTML; the browser checks
run once with the page's Content-Security-Policy bypassed, so the escaping is tested on its own, and once with it.
"""

import json
import math
import shutil
from pathlib import Path

import pytest
from synthagent_agents import BaseAgent, OracleAgent

from synthagent_env.cli import COMMAND_MODULES
from synthagent_env.cli import main as cli_main
from synthagent_env.evaluation.loop import EvalConfig, evaluate
from synthagent_env.viewer import load_run, render, write_page
from synthagent_env.viewer.page import embed_json
from synthagent_env.viewer.runs import RunNotFound

ROOT = Path(__file__).resolve().parents[1]
TASKS = ["banking-duplicate-card-charge-dispute", "hr-trade-fair-expense-claim", "retail-partial-order-cancel"]
BROKEN_TASK = TASKS[2]  # the hostile agent raises there: an error record with no scored info
PAYLOAD = '</script><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
HOSTILE_LABEL = '<img src=x onerror="window.__pwned = 3">'


class HostileAgent(BaseAgent):
    """Puts markup everywhere a run keeps agent text: a user message, a tool argument, the answer."""

    def reset(self, info):
        self.turn = 0
        if info["task_id"] == BROKEN_TASK:
            raise RuntimeError(f"agent crashed {PAYLOAD}")

    def act(self, observation, info):
        self.turn += 1
        if self.turn == 1:
            return f"Please tell me everything. {PAYLOAD}"
        if self.turn == 2:
            tool = info["tools"][0]["function"]
            args = {name: PAYLOAD for name in tool["parameters"].get("properties", {})}
            return '<tool_call>' + json.dumps({"name": tool["name"], "arguments": args}) + '</tool_call>'
        return f"<answer>{PAYLOAD}</answer>"


def _eval(agent, out: Path, label: str):
    config = EvalConfig(env_kwargs={"tasks": "tooluse-v0", "mapping_path": str(out / "mapping.sqlite")},
                        task_ids=TASKS, samples=1, concurrency=1, label=label, progress=False)
    return evaluate(agent, out, config)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("viewer-runs")
    _eval(OracleAgent, root / "oracle", "oracle")
    _eval(HostileAgent, root / "hostile", HOSTILE_LABEL)
    return root / "oracle", root / "hostile"


def _records(run_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (run_dir / "episodes.jsonl").read_text().splitlines()]


# ---- without a browser


def test_run_data_cannot_close_the_data_block(runs):
    page = render([load_run(p) for p in runs])
    assert page.count("</script>") == 2 and "<script>window.__pwned" not in page  # only the page's own two blocks
    assert HOSTILE_LABEL not in page and "<img" not in page  # the label in <title> and <h1> is escaped too
    block = page.split('<script type="application/json" id="run-data">', 1)[1].split("</script>", 1)[0]
    data = json.loads(block)
    assert any(PAYLOAD in str(ev.get("content")) for e in data["episodes"] for ev in e["events"])  # kept, as data
    assert json.loads(embed_json({"s": "<&>\u2028"})) == {"s": "<&>\u2028"}


def test_reading_a_run_is_defensive_and_read_only(runs, tmp_path):
    src = _records(runs[0])
    run = tmp_path / "run"
    run.mkdir()
    lines = [json.dumps(src[0]), "not json", json.dumps({"no": "task id"}),
             json.dumps(dict(src[1], reward=float("nan"))),
             json.dumps({"task_id": "t-crashed", "sample": 0, "status": "error", "error": "boom", "error_in": "env"}),
             json.dumps(dict(src[2], task_id="t-odd", trajectory="nope", reward="high", stats=[1])),
             json.dumps(src[2])[:40]]  # a torn last line
    raw = ("\n".join(lines)).encode()
    (run / "episodes.jsonl").write_bytes(raw)
    loaded = load_run(run)
    assert (run / "episodes.jsonl").read_bytes() == raw  # the viewer never trims the run's log
    assert sorted(r["task_id"] for r in loaded.records) == sorted([src[0]["task_id"], src[1]["task_id"], "t-crashed",
                                                                   "t-odd"])
    assert any("3 line(s)" in n for n in loaded.notes) and any("computed from the episode records" in n
                                                              for n in loaded.notes)
    # the NaN and "high" rewards are failed episodes (``invalid_reward``), as in the eval metrics
    assert loaded.summary["failed"] == 3 and loaded.summary["episodes"] == 4
    assert loaded.summary["failures"]["invalid_reward"]["count"] == 2
    data = json.loads(render([loaded]).split('id="run-data">', 1)[1].split("</script>", 1)[0])
    crashed = next(e for e in data["episodes"] if e["task"] == "t-crashed")
    assert crashed["outcome"] == "error" and crashed["error"]["message"] == "boom" and crashed["events"] == []
    assert all(math.isfinite(e["reward"]) for e in data["episodes"])  # NaN and "high" count 0, as in the metrics
    odd = next(e for e in data["episodes"] if e["task"] == "t-odd")
    assert odd["events"] == [] and "trajectory" in odd["note"] and "'high'" in odd["note"]
    nan = next(e for e in data["episodes"] if e["task"] == src[1]["task_id"])
    assert nan["reward"] == 0.0 and "nan" in nan["note"]


def test_a_training_run_shows_its_latest_evaluation(runs, tmp_path):
    for step in ("step-2", "step-10"):
        (tmp_path / "eval" / step).mkdir(parents=True)
        shutil.copy(runs[0] / "episodes.jsonl", tmp_path / "eval" / step / "episodes.jsonl")
    run = load_run(tmp_path)
    assert run.path == tmp_path / "eval" / "step-10" and "step-2" in run.notes[0]
    with pytest.raises(RunNotFound, match="no episodes.jsonl"):
        load_run(tmp_path / "eval")
    assert load_run(runs[0] / "summary.json").path == runs[0]  # a run's file names its run


def test_view_command(runs, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(COMMAND_MODULES, "synthagent_env.viewer.cli", ("view",))
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    assert cli_main(["view", str(runs[0]), "--out", str(tmp_path / "a.html")]) == 0
    assert opened == [(tmp_path / "a.html").resolve().as_uri()]
    assert cli_main(["view", str(runs[0]), str(runs[1]), "--no-open"]) == 0 and len(opened) == 1
    assert (runs[0] / "compare.html").is_file()
    assert cli_main(["view", str(tmp_path / "missing"), "--no-open"]) == 2
    assert "no such directory" in capsys.readouterr().err


# ---- in headless Chromium


@pytest.fixture(scope="module")
def browser(runs):  # after the runs: playwright's sync API holds an event loop, and the eval loop starts its own
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("no chromium installed (Debian: apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the browser test drives chromium with playwright")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        yield browser
        browser.close()


def _open(browser, html: Path, bypass_csp: bool):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, bypass_csp=bypass_csp)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda err: problems.append(str(err)))
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.goto(html.resolve().as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=30_000)
    return page, problems


def _rows(page) -> list[list[str]]:
    return page.eval_on_selector_all("#episode-rows tr", "rows => rows.map(r => [...r.cells].map(c => c.innerText))")


@pytest.mark.parametrize("bypass_csp", [True, False], ids=["escaping-alone", "with-csp"])
def test_page_in_chromium(browser, runs, tmp_path, bypass_csp):
    html = write_page(list(runs), tmp_path / "compare.html")
    page, problems = _open(browser, html, bypass_csp)
    oracle_records = {r["task_id"]: r for r in _records(runs[0])}

    # summary: both headline tables and both plots, decoded from data: URIs
    assert page.locator(".run-summary h2").all_inner_texts() == ["A: oracle", f"B: {HOSTILE_LABEL}"]
    assert page.eval_on_selector_all(".run-summary img", "imgs => imgs.map(i => i.naturalWidth > 0)") == [True, True]

    # episodes: filter, then open an oracle episode
    page.click("button[data-tab=episodes]")
    assert len(_rows(page)) == 6
    page.select_option("#filter-outcome", "error")
    assert [r[1] for r in _rows(page)] == [BROKEN_TASK]
    page.click("#filter-reset")
    page.select_option("#filter-end", "agent_error")
    assert [r[1] for r in _rows(page)] == [BROKEN_TASK]
    page.click("#filter-reset")
    page.select_option("#filter-domain", "hr")
    assert sorted(r[1] for r in _rows(page)) == [TASKS[1], TASKS[1]]
    page.click("#filter-reset")
    page.click("#episode-table th[data-key=turns]")
    turns = [int(r[7]) for r in _rows(page)]
    assert turns == sorted(turns) and len(set(turns)) > 1
    page.click("#episode-table th[data-key=turns]")
    assert [int(r[7]) for r in _rows(page)] == sorted(turns, reverse=True)
    page.fill("#filter-rmin", "0.5")
    assert {r[0] for r in _rows(page)} == {"A: oracle"} and len(_rows(page)) == 3
    page.fill("#filter-rmin", "")
    page.select_option("#filter-run", "0")
    page.select_option("#filter-task", TASKS[1])
    assert [(r[0], r[1], r[2], r[4]) for r in _rows(page)] == [("A: oracle", TASKS[1], "hr", "success")]
    page.click("#episode-rows tr")
    view = page.locator("#episode-view")
    record = oracle_records[TASKS[1]]
    call = next(e for e in record["trajectory"] if e["type"] == "tool_call")
    reply = next(e for e in record["trajectory"] if e["type"] == "user")
    item = record["reward_details"]["items"][0]
    tool_box = view.locator(".msg.tool").first
    assert call["name"] in tool_box.inner_text() and f"answered by the {call['source']}" in tool_box.inner_text()
    assert json.loads(tool_box.locator("pre.code").first.inner_text()) == call["arguments"]
    assert reply["reply"] in view.locator(".msg.user").nth(1).inner_text()
    verdict = view.locator(".rubric .item").first.inner_text()
    assert "passed" in verdict and item["description"] in verdict and item["reason"] in verdict

    # the hostile episode: every payload shown as text, nothing of it became an element or ran
    page.click("#filter-reset")
    page.select_option("#filter-run", "1")
    page.select_option("#filter-task", TASKS[0])
    page.click("#episode-rows tr")
    page.wait_for_timeout(100)  # an injected <img onerror> would have fired by now
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('img[onerror], #episode-view script').length") == 0
    assert view.inner_text().count(PAYLOAD) >= 3  # the message to the user, the tool argument, the answer
    assert view.locator(".msg.tool.err .errtext").count() >= 1  # the markup-filled call failed validation: in red
    page.screenshot(path=str(tmp_path / "viewer-episode.png"), full_page=True)

    # the failed episode: its error, highlighted
    page.click("#filter-reset")
    page.select_option("#filter-outcome", "error")
    page.click("#episode-rows tr")
    assert "agent crashed" in view.locator(".msg.failed").inner_text()

    # comparison: per-task differences, sortable
    page.click("button[data-tab=compare]")
    cells = lambda: page.eval_on_selector_all("#compare-table tbody tr", "rs => rs.map(r => [...r.cells].map(c => c.innerText))")
    assert sorted(r[0] for r in cells()) == sorted(TASKS)
    page.click("#compare-table th[data-key=task]")
    assert [r[0] for r in cells()] == sorted(TASKS)
    page.click("#compare-table th[data-key=task]")
    assert [r[0] for r in cells()] == sorted(TASKS, reverse=True)
    assert all(r[6] == "-1" for r in cells())  # the oracle's 1.0 against the hostile agent's 0
    page.screenshot(path=str(tmp_path / "viewer-compare.png"))

    if not bypass_csp:  # the policy is in force, and still lets the page's own script run (it rendered the above)
        assert page.evaluate("""() => { const s = document.createElement('script');
            s.textContent = 'window.__csp_hole = 1'; document.body.append(s); return window.__csp_hole; }""") is None
        problems = [p for p in problems if "Content Security Policy" not in p]  # the probe above is reported
        artifacts = ROOT / "tests" / "artifacts"
        artifacts.mkdir(exist_ok=True)
        shutil.copy(tmp_path / "viewer-episode.png", artifacts / "viewer.png")
        shutil.copy(tmp_path / "viewer-compare.png", artifacts / "viewer-compare.png")
    assert problems == []


def test_thousands_of_episodes_render_one_page_of_rows(browser, runs, tmp_path):
    base = _records(runs[0])
    run = tmp_path / "big"
    run.mkdir()
    with (run / "episodes.jsonl").open("w") as fh:
        for i in range(2000):  # 200 tasks x 10 samples
            record = base[i % len(base)]
            fh.write(json.dumps(dict(record, task_id=f"{record['task_id']}-{i // 30}", sample=i // 3 % 10)) + "\n")
    page, problems = _open(browser, write_page([run]), bypass_csp=False)
    page.click("button[data-tab=episodes]")
    assert len(_rows(page)) == 50 and "of 2000 episodes" in page.inner_text("#page-info")
    page.click("#page-next")
    assert "51\u2013100 of 2000 episodes" in page.inner_text("#page-info")
    page.select_option("#filter-task", f"{TASKS[0]}-7")
    assert "1\u201310 of 10 episodes" in page.inner_text("#page-info") and len(_rows(page)) == 10
    page.locator("#episode-rows tr").nth(3).click()
    assert page.locator("#episode-view .msg.tool").count() > 0
    link = page.url
    assert "sample=" in link
    page.goto("about:blank")
    page.goto(link)  # a link to an episode opens it
    page.wait_for_selector("#episode-view .msg.tool")
    assert page.locator("#episode-rows tr.selected").count() == 1 and page.inner_text("#episode-view h2") in link
    assert problems == []
