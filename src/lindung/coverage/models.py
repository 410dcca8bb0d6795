"""Coverage: figures per region and date, the public status check and membership cards."""
