from _bert_parameters import BERT_PARAMETERS  # tools/nbspecs/_bert_parameters.py

TITLE = "Train the BERT upvote classifier (4 rating bins)"
ABOUT = """
The second discriminator: a BERT text-pair classifier over (comment, reply) that predicts a real reply's rating bin
(the seed's bins on its score: 0 if < 1, 1 if == 1, 2 if < 5, else 3) from `bert_gan_real.csv`. Its expected bin
Σ k·p_k is the seed's upvote score, which 06 uses to pick the best realistic candidate. Splits follow 00's per-thread
`split`; bins are balanced with class weights; training stops early on the validation loss.

On the test split: per-bin ROC curves in one figure (the seed's figure), macro AUC, the confusion matrix, and the
pairwise accuracy on pairs of replies to the same comment with different scores — how DialogRPT measures upvote
prediction (its updown model 0.683; a reply-length baseline 0.531) — next to the length baseline on the same pairs.
The model is saved as a keras-hub preset in `models/bert_upvote/`. The base is shared with 03 (see its notes).
"""
READS = ["bert_gan_real.csv", "models/bert_base/tiny/ (when present)"]
WRITES = ["models/bert_upvote/", "models/bert_base/tiny/ (when missing)", "metrics/upvote_metrics.json",
          "metrics/upvote_roc.png", "metrics/upvote_confusion.png"]
RUNTIME = "GPU"
PARAMETERS = BERT_PARAMETERS + '''\
pairwise_min_gap = 1  # pairwise accuracy uses reply pairs whose scores differ by at least this much
seed = 1234  # reproducibility: initialisation and shuffling
'''
CELLS = [
    '''import logging
import numpy as np
import pandas as pd
from IPython.display import Image, display
from helpers.discriminators import bert_models
from helpers.discriminators import bert_train
from helpers.discriminators import metrics
from helpers import drive as drv
from helpers.drive import open_drive
from helpers.files import read_csv, write_json

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", force=True)
drive = open_drive(drive_root, drive_backend, gdrive_folder)
drive.pull(drv.BERT_GAN_REAL, f"{drv.BERT_BASE_DIR}/{bert_train.TINY_NAME}")
BINS = bert_train.NUM_RATING_BINS
BIN_NAMES = ["0: score < 1", "1: score 1", "2: score 2-4", "3: score >= 5"]''',
    '''real = read_csv(drive.path(drv.BERT_GAN_REAL), required=bert_train.REAL_COLUMNS, hint="written by 00")
data, drops = bert_train.upvote_frame(real, bert_sequence_length)
parts = bert_train.split(data, BINS, bert_max_train_rows, seed)
print("dropped rows:", drops)
pd.DataFrame({s: p["label"].value_counts().reindex(range(BINS), fill_value=0) for s, p in parts.items()})''',
    '''base = bert_models.resolve_base(bert_base, drive.path(drv.BERT_BASE_DIR), texts=bert_train.base_corpus(real),
                                 seed=seed, vocab_size=bert_tiny_vocab_size,
                                 hidden_dim=bert_tiny_hidden_dim, intermediate_dim=2 * bert_tiny_hidden_dim,
                                 num_layers=bert_tiny_layers)
clf = bert_models.build_classifier(base, BINS, bert_sequence_length, learning_rate=bert_learning_rate, seed=seed)
fit = bert_train.train_classifier(clf, parts, BINS, bert_epochs, bert_batch_size, bert_patience, seed=seed)
bert_models.save_classifier(clf, drive.path(drv.BERT_UPVOTE))
print("base:", base, bert_models.classifier_info(clf))
pd.DataFrame(fit["history"])''',
    '''test = parts["test"].copy()
probs = bert_models.predict_proba(clf, test["comment"], test["reply"])
test["expected_score"] = probs @ np.arange(BINS)
result = metrics.multiclass_metrics(test["label"], probs, BINS)
result["pairwise"] = metrics.pairwise_accuracy(test, min_gap=pairwise_min_gap)
result["pairwise"]["dialogrpt_reference"] = {"updown_model": 0.683, "length_baseline": 0.531}
write_json(metrics.json_safe(result | {"bert_base": bert_base, "model": bert_models.classifier_info(clf),
                                       "training": fit, "data": drops}), drive.path(drv.UPVOTE_METRICS))
metrics.per_class_roc_png(test["label"], probs, drive.path(drv.UPVOTE_ROC), labels=BIN_NAMES)
metrics.confusion_png(result["confusion"], drive.path(drv.UPVOTE_CONFUSION), labels=BIN_NAMES)
display(pd.Series({"accuracy": result["accuracy"], "macro_auc": result["macro_auc"],
                   **{f"auc bin {k}": v for k, v in result["per_class_auc"].items()},
                   **{f"pairwise {k}": v for k, v in result["pairwise"].items() if k != "dialogrpt_reference"}},
                  name="test split", dtype=object),
        Image(drive.path(drv.UPVOTE_ROC)), Image(drive.path(drv.UPVOTE_CONFUSION)))''',
    '''drive.push(drv.BERT_UPVOTE, f"{drv.BERT_BASE_DIR}/{bert_train.TINY_NAME}", drv.UPVOTE_METRICS, drv.UPVOTE_ROC,
           drv.UPVOTE_CONFUSION)''',
]
