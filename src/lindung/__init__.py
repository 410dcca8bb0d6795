"""Lindung: social-security protection for Indonesia's vulnerable informal workers."""

__version__ = "0.1.0"
