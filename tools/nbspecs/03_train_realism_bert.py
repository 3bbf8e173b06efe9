from _bert_parameters import BERT_PARAMETERS  # tools/nbspecs/_bert_parameters.py

TITLE = "Train the BERT realism classifier (real vs GPT-2 fake)"
ABOUT = """
The first discriminator: a BERT text-pair classifier over (comment, reply) that tells real Reddit replies
(`bert_gan_real.csv`, label 1) from GPT-2 fakes (`bert_gan_fake_*.csv` from 02, label 0). Splits follow 00's
per-thread `split`; the class imbalance (the seed's test set held 9,887 real vs 850 fake) is handled with balanced
class weights. Training stops early when the validation loss stops improving and keeps the best weights.

On the test split it reports the seed's metrics — auc, accuracy, f1, precision, recall, tp, tn, fp, fn (positive
class = real) — and draws the ROC curve. The model is saved as a keras-hub preset in `models/bert_realism/`, which
06 loads through `helpers.discriminators.scoring.Scorer`. Offline (the default) the base is `tiny`: a small BERT whose WordPiece
vocabulary is learned from the corpus, built once in `models/bert_base/tiny/` and shared with 04. Online, set
`bert_base = "bert_base_en_uncased"` (the seed's uncased L-12 H-768 BERT), `bert_sequence_length = 128`,
`bert_epochs = 3` and `bert_learning_rate = 2e-5`.
"""
READS = ["bert_gan_real.csv", "bert_gan_fake_NNNN.csv", "models/bert_base/tiny/ (when present)"]
WRITES = ["models/bert_realism/", "models/bert_base/tiny/ (when missing)", "metrics/realism_metrics.json",
          "metrics/realism_roc.png"]
RUNTIME = "GPU"
PARAMETERS = BERT_PARAMETERS + '''\
seed = 1234  # reproducibility: initialisation, shuffling, the held-out fakes
'''
CELLS = [
    '''import logging
import pandas as pd
from IPython.display import Image, display
from helpers.discriminators import bert_models
from helpers.discriminators import bert_train
from helpers.discriminators import metrics
from helpers import drive as drv
from helpers.drive import open_drive
from helpers.files import read_csv, read_csvs, write_json

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", force=True)
drive = open_drive(drive_root, drive_backend, gdrive_folder)
drive.pull(drv.BERT_GAN_REAL, drv.BERT_GAN_FAKE_GLOB, f"{drv.BERT_BASE_DIR}/{bert_train.TINY_NAME}")''',
    '''real = read_csv(drive.path(drv.BERT_GAN_REAL), required=bert_train.REAL_COLUMNS, hint="written by 00")
fake = read_csvs(drive.glob(drv.BERT_GAN_FAKE_GLOB), required=bert_train.FAKE_COLUMNS, hint="written by 02")
data, drops = bert_train.realism_frame(real, fake, bert_sequence_length, seed=seed)
parts = bert_train.split(data, 2, bert_max_train_rows, seed)
print("dropped / adjusted rows:", drops)
pd.DataFrame({s: p["label"].value_counts().reindex([1, 0], fill_value=0) for s, p in parts.items()},
             ).rename(index={1: "real", 0: "fake"})''',
    '''base = bert_models.resolve_base(bert_base, drive.path(drv.BERT_BASE_DIR), texts=bert_train.base_corpus(real),
                                 seed=seed, vocab_size=bert_tiny_vocab_size,
                                 hidden_dim=bert_tiny_hidden_dim, intermediate_dim=2 * bert_tiny_hidden_dim,
                                 num_layers=bert_tiny_layers)
clf = bert_models.build_classifier(base, 2, bert_sequence_length, learning_rate=bert_learning_rate, seed=seed)
fit = bert_train.train_classifier(clf, parts, 2, bert_epochs, bert_batch_size, bert_patience, seed=seed)
bert_models.save_classifier(clf, drive.path(drv.BERT_REALISM))
print("base:", base, bert_models.classifier_info(clf))
pd.DataFrame(fit["history"])''',
    '''test = parts["test"]
prob_real = bert_models.predict_proba(clf, test["comment"], test["reply"])[:, 1]
result = metrics.binary_metrics(test["label"], prob_real)
write_json(metrics.json_safe(result | {"bert_base": bert_base, "model": bert_models.classifier_info(clf),
                                       "training": fit, "data": drops}), drive.path(drv.REALISM_METRICS))
metrics.roc_png(test["label"], prob_real, drive.path(drv.REALISM_ROC), title="Realism classifier ROC (test split)")
display(pd.Series({k: result[k] for k in metrics.BINARY_KEYS}, name="test split", dtype=object),
        Image(drive.path(drv.REALISM_ROC)))''',
    '''drive.push(drv.BERT_REALISM, f"{drv.BERT_BASE_DIR}/{bert_train.TINY_NAME}", drv.REALISM_METRICS, drv.REALISM_ROC)''',
]
