"""Local engine figures (`make bench`): stack start-up, ASL interpreter overhead per execution with mocked
tasks, and one real run of the sample dictation with the time spent in each state. Prints a table; ratios are
measured within this one run so they survive a slower or busier machine."""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from medscribe.keys import execution_name
from medscribe.local.engine import LocalPipeline

ROOT = Path(__file__).resolve().parents[1]
MOCK_CONFIG = ROOT / "tests" / "statemachine" / "MockConfigFile.json"
RUNS = 10


def state_durations(history: list[dict[str, Any]]) -> dict[str, float]:
    spent: dict[str, float] = defaultdict(float)
    current: tuple[str, Any] | None = None
    for event in history:
        if "stateEnteredEventDetails" in event:
            current = (event["stateEnteredEventDetails"]["name"], event["timestamp"])
        elif "stateExitedEventDetails" in event and current:
            spent[current[0]] += (event["timestamp"] - current[1]).total_seconds()
            current = None
    return dict(spent)


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        t0 = time.perf_counter()
        with LocalPipeline(ROOT, home=Path(home), instant_waits=True) as p:
            startup = time.perf_counter() - t0
            base = json.loads((ROOT / "events" / "execution_input.json").read_text())
            sfn = p.client("stepfunctions")
            mocked: list[float] = []
            for i in range(RUNS):
                p.use_mock_config(MOCK_CONFIG, "HappyPath")
                execution_input = {**base, "recording": {**base["recording"], "recording_id": f"bench-{i}"}}
                t = time.perf_counter()
                arn = sfn.start_execution(
                    stateMachineArn=p.state_machine_arn,
                    name=execution_name(f"bench-{i}"),
                    input=json.dumps(execution_input),
                )["executionArn"]
                assert p.wait(arn).status == "SUCCEEDED"
                mocked.append(time.perf_counter() - t)
            p.use_mock_config(None)
            t = time.perf_counter()
            _, arn = p.start_from_upload(ROOT / "samples" / "dictation.wav")
            result = p.wait(arn)
            real = time.perf_counter() - t
            assert result.status == "SUCCEEDED", result.error
            duration = (result.output or {})["audio"]["duration_seconds"]
    per_state = state_durations(result.history)
    print(f"{'figure':<52} {'value':>10}")
    print(f"{'local stack start-up (moto + template + PostgreSQL), s':<52} {startup:>10.2f}")
    print(
        f"{'mocked execution (14 states, 8 tasks), median ms':<52} {statistics.median(mocked) * 1000:>10.1f}"
    )
    print(f"{'real run of samples/dictation.wav, s':<52} {real:>10.2f}")
    print(f"{'audio duration, s':<52} {duration:>10.2f}")
    print(f"{'real run / audio duration':<52} {real / duration:>10.2f}")
    print(f"{'real run / mocked execution':<52} {real / statistics.median(mocked):>10.0f}")
    print("time per state in the real run (instant waits):")
    for state, seconds in sorted(per_state.items(), key=lambda kv: -kv[1]):
        print(f"  {state:<50} {seconds:>10.2f}")


if __name__ == "__main__":
    main()
