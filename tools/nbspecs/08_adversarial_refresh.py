TITLE = "Adversarial refresh: fresh fakes vs the realism classifier, round by round"
ABOUT = """
The seed wished for a GAN-like loop; this is its discriminator half, made real. Each of `adv_rounds` rounds:

1. the fine-tuned GPT-2 (`checkpoint/<run_name>`) writes `n_candidates` fresh fakes for `adv_train_comments` train
   comments and `adv_eval_comments` held-out test comments (a new sample every round) → `adversarial/round_<NN>_fakes.csv`;
2. the realism classifier is scored on the round's held-out fakes against the real test replies: **AUC before**;
3. it continues training (`adv_mode = "continue"`) or is rebuilt from its base and trained from scratch
   (`"retrain"`) on the real replies + 02's fakes + every round's train fakes so far;
4. the same AUC **after**. A falling "before" AUC over rounds means GPT-2's fresh fakes keep surprising the
   classifier; "after" shows how much training on them wins back.

The first round starts from 03's `models/bert_realism`; the result after the last round is
`models/bert_realism_refreshed` (06 keeps using 03's model unless you point it there). Generation runs in a separate
process, because gpt-2-simple's TF1 graph and the Keras 3 BERT model cannot share one. Resumable round by round: a
re-run continues after the last finished round; raise `adv_rounds` to add rounds, or set `adv_restart = True` to
start over from 03's model.
"""
READS = ["gpt2_generate.csv", "bert_gan_real.csv", "bert_gan_fake_NNNN.csv", "checkpoint/<run_name>/",
         "models/bert_realism/", "models/bert_base/<name>/"]
WRITES = ["adversarial/round_<NN>_fakes.csv", "models/bert_realism_refreshed/", "metrics/adversarial_rounds.csv",
          "metrics/adversarial_rounds.json", "metrics/adversarial_auc.png"]
RUNTIME = "GPU"
PARAMETERS = '''
adv_rounds = 2  # refresh rounds in total (a re-run continues after the last finished one); online: 5-10
adv_mode = "continue"  # continue (keep training the current classifier) | retrain (rebuild from bert_base each round)
adv_restart = False  # True: forget earlier rounds and start again from 03's models/bert_realism
adv_train_comments = 16  # train comments given fresh fakes each round (online: 500+)
adv_eval_comments = 8  # held-out test comments given fresh fakes each round, to measure on (online: 200+)
adv_epochs = 1  # training epochs per round (early stopping on validation loss)
bert_batch_size = 32  # rows per training step, as in 03 (the seed: 32)
bert_learning_rate = 1e-3  # as in 03: 1e-3 suits the tiny base trained from scratch; use 2e-5 for a pretrained BERT
adv_max_train_rows = 0  # sample at most this many training rows per round, every class kept (0: all)
bert_base = "tiny"  # retrain mode: the base, as in 03 (tiny | bert_base_en_uncased | a local folder)
run_name = "run1"  # the fine-tuned GPT-2 checkpoint written by 01: checkpoint/<run_name>
n_candidates = 10  # fakes per comment (the seed's 10)
temperature = 0.7  # sampling temperature (the seed's 0.7)
top_k = 40  # sample among the k likeliest tokens (0: off)
top_p = 0.0  # nucleus sampling threshold (0: off)
max_reply_tokens = 100  # length cap of a fake reply in tokens
seed = 1234  # reproducibility: the comments picked per round, the sampling, the training order
'''
CELLS = [
    '''from IPython.display import Image, display

from helpers.tracking import adversarial
from helpers import drive as drv
from helpers.drive import open_drive

drive = open_drive(drive_root, drive_backend, gdrive_folder)
_ = drive.pull(drv.GPT2_GENERATE, drv.BERT_GAN_REAL, drv.BERT_GAN_FAKE_GLOB, f"{drv.CHECKPOINT_DIR}/{run_name}",
               drv.BERT_REALISM, drv.BERT_BASE_DIR, drv.ADVERSARIAL_DIR, drv.ADVERSARIAL_MODEL,
               drv.ADVERSARIAL_ROUNDS)
if adv_restart:
    adversarial.restart(drive.root)
print(len(adversarial.done_rounds(drive.root)), "round(s) done before this run")''',
    '''outputs = (drv.ADVERSARIAL_DIR, drv.ADVERSARIAL_MODEL, drv.ADVERSARIAL_ROUNDS, drv.ADVERSARIAL_JSON,
           drv.ADVERSARIAL_PNG)
table = adversarial.run_rounds(
    drive.root, adv_rounds, mode=adv_mode, run_name=run_name, train_comments=adv_train_comments,
    eval_comments=adv_eval_comments, n_candidates=n_candidates, epochs=adv_epochs, batch_size=bert_batch_size,
    learning_rate=bert_learning_rate, max_train_rows=adv_max_train_rows, base=bert_base, seed=seed,
    gen=dict(temperature=temperature, top_k=top_k, top_p=top_p, length=max_reply_tokens),
    on_write=lambda: drive.push(*outputs))  # gdrive: each round uploaded as it finishes
table''',
    '''display(Image(filename=str(drive.path(drv.ADVERSARIAL_PNG))))''',
    '''_ = drive.push(*outputs)''',
]
