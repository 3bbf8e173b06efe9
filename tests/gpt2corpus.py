"""A throwaway "comment [SEP] reply" corpus for the GPT-2 tests (fine-tuning and generation share it)."""

import random

WORDS = "the a cat dog said reddit comment reply this is not funny lol yes no why because i think you are".split()


def corpus(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    say = lambda k: " ".join(rng.choice(WORDS) for _ in range(k))  # noqa: E731
    return [f"{say(rng.randint(5, 20))} [SEP] {say(rng.randint(3, 12))}" for _ in range(n)]
