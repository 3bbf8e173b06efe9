TITLE = "Fine-tune GPT-2 on comment → reply pairs"
ABOUT = """
Fine-tunes GPT-2 with [gpt-2-simple](https://github.com/minimaxir/gpt-2-simple) on the train split of
`gpt2_finetune.csv`, one `comment [SEP] reply` document per row (gpt-2-simple wraps each in
`<|startoftext|>…<|endoftext|>`). The checkpoint goes to `checkpoint/<run_name>` on the Drive root; `gpt2_steps` is the
run's total, so re-running after a disconnect trains only the missing steps from the last complete save.
The loss on the validation split is reported before and after, and the training loss curve is saved as a PNG.

Offline default: the `tiny` base (2 layers, 128 wide, BPE vocabulary learned from the corpus), built on the Drive
root the first time. Online: `124M` or `355M` (the seed used 355M), downloaded once by gpt-2-simple. On a GPU
too small for a base with 01's defaults (355M on Colab's free 15 GB T4), 01 picks the first measured setting that fits
(frozen token embeddings, then plain SGD) and says so in its output.
"""
READS = ["gpt2_finetune.csv", "models/gpt2/<base_model>/ (built or downloaded when missing)",
         "checkpoint/<run_name>/ (to resume)"]
WRITES = ["models/gpt2/<base_model>/", "checkpoint/<run_name>/", "samples/<run_name>/",
          "metrics/gpt2_finetune.json", "metrics/gpt2_loss.png"]
RUNTIME = "GPU"
PARAMETERS = '''
base_model = "tiny"  # GPT-2 base: "tiny" (built offline from the corpus) or "124M" / "355M" (downloaded; the seed used 355M)
run_name = "run1"  # checkpoint/<run_name> on the Drive root; 02 and 05 read it, a re-run resumes it
gpt2_steps = 150  # TOTAL fine-tuning steps of this run (a re-run trains only the missing ones); ~1000+ for 124M/355M
gpt2_learning_rate = 1e-3  # 1e-3 suits the tiny model trained from scratch; use 1e-4 (gpt-2-simple's default) for 124M/355M
gpt2_batch_size = 1  # 1024-token windows per step
gpt2_save_every = 20  # save a checkpoint every N steps (and always at the end)
gpt2_sample_every = 50  # print and save a sample every N steps (0: never)
seed = 1234  # reproducibility: tiny model weights, window sampling, TF seed
'''
CELLS = [
    '''from helpers import drive as drv
from helpers.drive import open_drive
from helpers.files import read_csv
from helpers.generator.gpt2_finetune import finetune, prepare_documents, save_metrics
from helpers.generator.gpt2_fit import for_this_machine
from IPython.display import Image, display

drive = open_drive(drive_root, drive_backend, gdrive_folder)
pulled = drive.pull(drv.GPT2_FINETUNE, f"{drv.GPT2_MODELS}/{base_model}", f"{drv.CHECKPOINT_DIR}/{run_name}")''',
    '''docs = prepare_documents(read_csv(drive.path(drv.GPT2_FINETUNE), required=["text", "split"]),
                         file=str(drive.path(drv.GPT2_FINETUNE)))
print({split: len(texts) for split, texts in docs.items()}, "documents")
print(docs["train"][0][:300])''',
    '''fit = for_this_machine(base_model)  # 355M with Adam does not fit a free 15 GB T4: 01 picks what does (see README)
print(fit.message or "default settings (no GPU seen, or the tiny base)")
metrics = finetune(docs, drive.path(drv.CHECKPOINT_DIR), drive.path(drv.GPT2_MODELS), model_name=base_model,
                   run_name=run_name, steps=gpt2_steps, learning_rate=gpt2_learning_rate, batch_size=gpt2_batch_size,
                   save_every=gpt2_save_every, sample_every=gpt2_sample_every, seed=seed,
                   samples_dir=drive.path(), optimizer=fit.optimizer,
                   only_train_transformer_layers=fit.only_train_transformer_layers)''',
    '''summary = save_metrics(metrics, drive.path(drv.GPT2_METRICS), drive.path(drv.GPT2_LOSS_PNG))
display(summary)
display(Image(filename=str(drive.path(drv.GPT2_LOSS_PNG))))''',
    '''pushed = drive.push(f"{drv.GPT2_MODELS}/{base_model}", f"{drv.CHECKPOINT_DIR}/{run_name}", drv.GPT2_SAMPLES_DIR,
                    drv.GPT2_METRICS, drv.GPT2_LOSS_PNG)''',
]
