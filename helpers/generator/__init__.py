"""Stages 01–02 (stage01.py, stage02.py): fine-tune GPT-2 with gpt-2-simple, then write the fakes the realism
classifier learns from. gpt-2-simple is imported only inside functions: it turns eager execution off process-wide."""
