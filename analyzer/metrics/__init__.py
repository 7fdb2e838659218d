"""Pure metrics of the canonical per-second frame: each takes (frame, Settings) and
returns a frozen dataclass; none mutates its input."""
