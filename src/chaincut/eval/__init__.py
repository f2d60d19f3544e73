"""Measure detection and linking on a simulated world with known ground truth."""
