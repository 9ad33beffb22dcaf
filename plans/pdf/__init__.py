"""The plan PDF and meeting packs: options, data loading, rendering, background packs."""
