"""factmark's Textual app: the library of articles, and the reader of each."""
