"""The answer cache of named queries: same generation, same bytes; a new generation is asked again."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from api.cache import AnswerCache
from api.main import create_app
from api.settings import Settings
from orgkg.pipeline import BuildResult
from orgkg.stores.embedded import EmbeddedStore

LEADER = "/queries/tasks-by-leader?leader=曹国永"


def _store(seed_build: BuildResult, folder: Path) -> EmbeddedStore:
    store = EmbeddedStore(folder)
    store.replace_graphs(seed_build.graphs, drop_others=True)
    return store


def _years(client: TestClient) -> list[str]:
    response = client.get(LEADER, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    return sorted(b["year"]["value"] for b in response.json()["results"]["bindings"])


def test_the_same_question_on_the_same_generation_is_answered_from_the_cache(
    seed_build: BuildResult, tmp_path: Path
) -> None:
    with TestClient(create_app(_store(seed_build, tmp_path / "store"), Settings())) as client:
        answers: AnswerCache = client.app.state.answers  # type: ignore[attr-defined]
        first = _years(client)
        assert (answers.hits, answers.misses, len(answers)) == (0, 1, 1)
        assert _years(client) == first == ["2020"] * 6 + ["2022"] * 2
        assert answers.hits == 1


def test_a_new_generation_is_asked_again(seed_build: BuildResult, tmp_path: Path) -> None:
    store = _store(seed_build, tmp_path / "store")
    with TestClient(create_app(store, Settings())) as client:
        assert _years(client) == ["2020"] * 6 + ["2022"] * 2
        # a write swaps the generation: the 2022 plan's graph goes, and so do its two tasks in the answer
        plan_2022 = next(g for g in seed_build.graphs if g.value.endswith("/graph/doc/国开发-2022-1号"))
        store.replace_graphs({plan_2022: []})
        assert _years(client) == ["2020"] * 6
        answers: AnswerCache = client.app.state.answers  # type: ignore[attr-defined]
        assert answers.hits == 0 and answers.misses == 2


def test_no_budget_no_cache(seed_build: BuildResult, tmp_path: Path) -> None:
    settings = Settings(answer_cache_bytes=0)
    with TestClient(create_app(_store(seed_build, tmp_path / "store"), settings)) as client:
        _years(client)
        _years(client)
        answers: AnswerCache = client.app.state.answers  # type: ignore[attr-defined]
        assert len(answers) == 0 and answers.hits == 0


def test_a_remote_store_is_never_cached() -> None:
    class Remote:  # any backend whose data can change behind the service's back
        pass

    assert AnswerCache(Remote(), 1 << 20).generation() is None  # type: ignore[arg-type]
