"""factmark's front door: the command line and the Textual reader."""
