"""`sangsaeng lm train`'s pieces: the offline corpus and a (tiny) training run that loads back."""

from __future__ import annotations

from sangsaeng.lm.engine.runtime import runtime_load
from sangsaeng.lm.training.corpus import HANGUL, Corpus, clean, corpus_collect, is_held_out
from sangsaeng.lm.training.train import TrainConfig, model_train


def test_the_corpus_is_korean_text_found_offline(tmp_path):
    extra = tmp_path / "contrib.txt"
    extra.write_text("상생 커먼즈에 기여한 문장입니다.\nEnglish only line\n", encoding="utf-8")
    corpus = corpus_collect(extra=[extra])
    assert corpus.sources["po:conf"] > 1000  # Django's own Korean catalogue
    assert corpus.sources["sangsaeng"] > 1000
    assert corpus.sources["file:contrib.txt"] == len("상생 커먼즈에 기여한 문장입니다.")
    assert all(HANGUL.search(line) for line in corpus.train + corpus.held_out)
    assert not set(corpus.train) & set(corpus.held_out)
    assert all(is_held_out(line) for line in corpus.held_out)
    assert clean("%(name)s님 <b>안녕</b>하세요  {0}") == "님 안녕하세요"


def test_a_tiny_run_saves_a_checkpoint_that_serves(tmp_path):
    lines = [f"{i}번째 문장은 대한민국 헌법을 읽습니다." for i in range(60)]
    corpus = Corpus(train=lines[:50], held_out=lines[50:], sources={"test": 1})
    config = TrainConfig(
        vocab_size=300, n_layer=1, n_embd=32, n_head=2, rotary_dim=8, seq_len=32, batch_size=2, steps=3, eval_every=3
    )
    result = model_train(corpus=corpus, out=tmp_path / "m", config=config)
    assert result.best_step == 3 and result.held_out_perplexity > 1
    runtime = runtime_load(model_dir=str(tmp_path / "m"))
    assert runtime.name == "m" and runtime.tokenizer.eos_token == "[EOS]"
    assert (tmp_path / "m" / "training.json").exists()
