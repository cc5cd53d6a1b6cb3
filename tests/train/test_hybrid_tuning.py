"""The hybrid's tuning rule on out-of-domain speech, from decoded texts (no decoding): a setting that hands
out-of-domain clips to the catalog hypothesis is refused even when the WER sum looks better."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from voxsearch.asr.pocketsphinx_engine import SearchResult
from voxsearch.eval.dataset import EvalItem
from voxsearch.eval.metrics import hit_rate, score_wer
from voxsearch.search import CatalogStore
from voxsearch.train.hybrid_tuning import tune_hybrid
from voxsearch.train.tuning import ChoiceScorer, DecodedClip, DevScores, TuningOptions, score_choice
from voxsearch.types import CatalogEntry, ModelInfo, Transcript


@dataclass(frozen=True)
class _Heard:  # what whisper_tuning keeps per dev clip: the item and Whisper's transcript
    item: EvalItem
    transcript: Transcript


def _clip(n: int, reference: str, catalog: str, whisper: str, expected: tuple[str, ...], domain: str,
          catalog_score: float) -> tuple[DecodedClip, _Heard]:
    item = EvalItem(line=n, audio=f"{n}.wav", path=Path(f"{n}.wav"), reference=reference, labels=(("", reference),),
                    expected=expected, tags={"domain": domain, "noise": "white"})
    return (DecodedClip(item, SearchResult("generic guess", -1.0, -1.0), SearchResult(catalog, catalog_score, -1.0)),
            _Heard(item, Transcript(text=whisper, model=ModelInfo(engine="whisper", version="t"))))


def test_settings_that_break_out_of_domain_clips_are_not_eligible(tmp_path: Path) -> None:
    store = CatalogStore(tmp_path)
    store.import_entries([CatalogEntry(id="sf", title="San Francisco"), CatalogEntry(id="atl", title="Atlanta"),
                          CatalogEntry(id="tim", title="Timaru")], "cities")
    clips = [
        _clip(1, "directions to san francisco", "directions to san francisco", "directions to sam fran cisco",
              ("sf",), "in", -0.5),
        _clip(2, "weather in atlanta", "weather in atlanta", "whether in at lanta", ("atl",), "in", -0.5),
        # Whisper hallucinates on noise: the catalog guess is shorter, so the WER sum drops, but it is wrong
        _clip(3, "set a timer", "weather in timaru", "set a timer and then and then and then and then", (), "out",
              -0.5),
        _clip(4, "open the camera", "weather in atlanta", "open the camera", (), "out", -0.5),
    ]
    catalog, general = [c for c, _ in clips], [g for _, g in clips]
    # unadapted Whisper: 8 insertions on clip 3's 3 words, clip 4 right
    whisper = DevScores(wer=0.5, wer_in=0.5, wer_out=8 / 6, wer_out_clean=0.0, top1=0.0, eligible=True)
    with store.open("cities") as index:
        options = TuningOptions(bias_grid=(0.0, 1.0), posterior_weight_grid=(0.0,), match_threshold_grid=(0.9, 1.01))
        result = tune_hybrid(catalog, general, whisper, index, options)
        strict = result.best
        loose = tune_hybrid(catalog, general, whisper, index,
                            TuningOptions(**{**options.__dict__, "max_out_harmed_share": 1.0})).best
    harmful = [t for t in result.trials if t.out_harmed > 0.0]
    assert harmful and not any(t.eligible for t in harmful)
    assert strict.out_harmed == 0.0
    assert loose.out_harmed > 0.0 and loose.wer < strict.wer  # what the WER sum alone would have chosen


def test_whisper_veto_gives_clips_it_doubts_back_to_whisper(tmp_path: Path) -> None:
    store = CatalogStore(tmp_path)
    store.import_entries([CatalogEntry(id="atl", title="Atlanta"), CatalogEntry(id="tim", title="Timaru")], "cities")
    clips = [
        _clip(1, "weather in atlanta", "weather in atlanta", "whether in at lanta", ("atl",), "in", -0.5),
        _clip(2, "open the camera", "weather in timaru", "open the camera", (), "out", -0.5),
    ]
    catalog, general = [c for c, _ in clips], [g for _, g in clips]
    whisper = DevScores(wer=0.5, wer_in=1.0, wer_out=0.0, wer_out_clean=0.0, top1=0.0, eligible=True)
    options = TuningOptions(bias_grid=(1.0,), posterior_weight_grid=(0.0,), match_threshold_grid=(1.01,),
                            veto_grid=(None, 3.0, 5.0, 8.0))
    with store.open("cities") as index:
        # Whisper doubts clip 2's catalog text (6 nats per token) far more than clip 1's (1)
        result = tune_hybrid(catalog, general, whisper, index, options, doubts=[1.0, 6.0])
        without = tune_hybrid(catalog, general, whisper, index, options)
    by_veto = {t.whisper_veto: t for t in result.trials if t.routing == "scores"}
    assert by_veto[None].out_harmed == 1.0 and not by_veto[None].eligible  # of the out-of-domain clips
    for veto in (3.0, 5.0):  # clip 2 handed back to Whisper, clip 1 kept
        assert by_veto[veto].vetoed == 0.5 and by_veto[veto].out_harmed == 0.0 and by_veto[veto].wer == 0.0
    assert by_veto[8.0].vetoed == 0.0
    assert (result.best.whisper_veto, result.best.wer) == (5.0, 0.0)  # ties: the widest margin that works
    assert {t.whisper_veto for t in without.trials} == {None}


def test_the_choice_scorer_scores_as_score_wer_and_hit_rate_do() -> None:
    clips = [_clip(1, "weather in atlanta", "weather in atlanta", "whether in at lanta", ("atl",), "in", -0.5)[0],
             _clip(2, "set a timer", "weather in timaru", "set a timer", (), "out", -0.5)[0],
             _clip(3, "open the camera", "", "open the camera please", (), "out", -0.5)[0]]
    scorer = ChoiceScorer(clips)
    for texts, found in ((["weather in atlanta", "weather in timaru", ""], [["atl"], [], []]),
                         (["whether in at lanta", "set a timer", "open the camera please"], [["tim"], ["atl"], []]),
                         (["", "", ""], [[], [], []])):
        def wer(keep):  # type: ignore[no-untyped-def]
            pairs = [(c.item.reference, t) for c, t in zip(clips, texts) if keep(c.item)]
            return score_wer([r for r, _ in pairs], [h for _, h in pairs]).wer if pairs else 0.0

        expected = {"wer": wer(lambda i: True), "wer_in": wer(lambda i: i.in_domain),
                    "wer_out": wer(lambda i: not i.in_domain), "wer_out_clean": 0.0,  # no clean clip here
                    "top1": hit_rate([clips[0].item.expected], [found[0]], k=1).rate}  # clip 1 is the in-domain one
        assert scorer.scores(texts, found) == expected == score_choice(clips, texts, None, found)
