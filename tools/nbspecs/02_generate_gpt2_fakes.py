TITLE = "Generate GPT-2 fakes for the realism classifier"
ABOUT = """
For every comment of `gpt2_generate.csv` in `fake_splits` (default all three: the realism classifier is then tested
on fakes from threads it never trained on), the fine-tuned GPT-2 from `checkpoint/<run_name>` writes
`n_candidates` replies. They are saved in the seed's shape (comment, reply, real=0) as chunked files
`bert_gan_fake_NNNN.csv`, which 03 reads as the "fake" class. The checkpoint is loaded once and one sampling graph
serves every comment. Resumable: chunks already on the Drive root are kept, and a re-run writes only the missing ones
(keep `fake_chunk_size`, `fake_splits` and `fake_max_comments` as they were). If 01 has trained further since, or the
sampling settings changed, the old chunks are regenerated rather than mixed with new ones.

The fakes' quality (distinct-1/2, repeated-trigram rate, parrot rate, length) on the test split, beside the real
test-split replies of `bert_gan_real.csv`, goes to `metrics/fakes_quality.json` and the report.
"""
READS = ["gpt2_generate.csv", "checkpoint/<run_name>/", "bert_gan_real.csv"]
WRITES = ["bert_gan_fake_NNNN.csv", "bert_gan_fake_signature.json", "metrics/fakes_quality.json"]
RUNTIME = "GPU"
PARAMETERS = '''
run_name = "run1"  # the fine-tuned checkpoint written by 01: checkpoint/<run_name>
n_candidates = 10  # replies generated per comment (the seed's 10)
temperature = 0.7  # sampling temperature (the seed's 0.7)
top_k = 40  # sample among the k likeliest tokens (the seed used 40; 0: off)
top_p = 0.0  # nucleus sampling threshold (0: off)
max_reply_tokens = 100  # length cap of a reply in tokens; a long comment is cut from the front to make room
fake_chunk_size = 100  # comments per bert_gan_fake_NNNN.csv (the unit of resume)
fake_splits = ["train", "validation", "test"]  # whose comments get fakes; 03 tests the realism model on held-out threads' fakes
fake_max_comments = 0  # use only the first N comments, the splits taking turns (0: all)
seed = 1234  # reproducibility: the same seed gives the same fakes
'''
CELLS = [
    '''from helpers import drive as drv
from helpers.drive import open_drive
from helpers.files import read_csv, read_csvs
from helpers.generator.fakes import generate_fakes, select_comments
from helpers.generator.generation import GenerationEngine

drive = open_drive(drive_root, drive_backend, gdrive_folder)
pulled = drive.pull(drv.GPT2_GENERATE, f"{drv.CHECKPOINT_DIR}/{run_name}", drv.BERT_GAN_FAKE_GLOB,
                    drv.BERT_GAN_FAKE_SIGNATURE, drv.BERT_GAN_REAL)''',
    '''comments = select_comments(read_csv(drive.path(drv.GPT2_GENERATE), required=["comment"]), split=fake_splits,
                           max_comments=fake_max_comments, file=str(drive.path(drv.GPT2_GENERATE)))
print(len(comments), "comments:", comments["split"].value_counts().to_dict())''',
    '''with GenerationEngine(drive.path(drv.CHECKPOINT_DIR), run_name, seed=seed) as engine:
    stats = generate_fakes(engine, comments, drive.path(), chunk_size=fake_chunk_size, n=n_candidates,
                           temperature=temperature, top_k=top_k, top_p=top_p, length=max_reply_tokens,
                           on_write=drive.push_path, on_remove=drive.remove)  # gdrive: each chunk uploaded as written
stats''',
    '''fakes = read_csvs(drive.glob(drv.BERT_GAN_FAKE_GLOB), required=["comment", "reply", "real"])
print(len(fakes), "fakes in", len(drive.glob(drv.BERT_GAN_FAKE_GLOB)), "chunk(s)")
fakes.head(10)''',
    '''from helpers.live import quality
from helpers.files import write_json

real_path = drive.path(drv.BERT_GAN_REAL)
real = read_csv(real_path, required=["reply", "split"]) if real_path.exists() else None
fakes_quality = quality.fakes_quality(fakes, real)
write_json(fakes_quality, drive.path(drv.FAKES_QUALITY))
_ = drive.push(drv.FAKES_QUALITY)
quality.quality_table(fakes_quality)''',
]
