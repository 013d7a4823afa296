import pytest
import test_workflow as tw


@pytest.mark.parametrize("case", ["CatchCheckTranscription", "CatchDetectEntities"] * 1)
@pytest.mark.parametrize("i", range(8))
def test_rep(case, i, pipeline, fresh_database):
    result, _ = tw._run(pipeline, case)
    assert result.error == tw.CASES[case].error, (
        result.status,
        result.error,
        result.cause,
        [e["type"] for e in result.history][-12:],
    )
