"""analyzer: running exports and Achilles symptoms, analysed on the runner's own machine."""

__version__ = "0.1.0"
