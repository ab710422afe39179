"""The five sample articles, shipped as package data so `factmark --sample` works anywhere."""
