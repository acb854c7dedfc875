"""From news articles to reviewed, sourced changes to the data: names, gazetteer, extraction, review, ingest."""
