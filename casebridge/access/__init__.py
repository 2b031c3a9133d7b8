"""Access: the role → capability table and the one policy every access question goes through."""
