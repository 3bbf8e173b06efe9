"""The BERT parameters 03 (realism) and 04 (upvote) share, so the two notebooks cannot drift apart."""

BERT_PARAMETERS = '''
bert_base = "tiny"  # tiny (offline: small BERT, vocab learned from the corpus) | "bert_base_en_uncased" (the seed's BERT, online) | any keras-hub preset, hf:// handle or local folder (keras-hub preset or Hugging Face BERT: config.json, model.safetensors, vocab.txt)
bert_sequence_length = 64  # tokens per [CLS] comment [SEP] reply [SEP]; longer pairs are truncated (the seed: 128)
bert_epochs = 6  # passes over the training rows, early stop on validation loss (the seed: 3 with its pretrained BERT; the tiny base learns from scratch)
bert_batch_size = 32  # rows per training step (the seed: 32)
bert_learning_rate = 1e-3  # 1e-3 suits the tiny base trained from scratch; use 2e-5 for a pretrained BERT
bert_patience = 2  # epochs without a better validation loss before stopping (0: never stop early)
bert_max_train_rows = 0  # sample at most this many training rows, every class or bin kept in proportion (0: all)
bert_tiny_vocab_size = 4000  # tiny base only (built when models/bert_base/tiny is missing): WordPiece vocabulary size
bert_tiny_hidden_dim = 64  # tiny base only: hidden size (2 heads, feed-forward 2x hidden)
bert_tiny_layers = 2  # tiny base only: transformer layers
'''
