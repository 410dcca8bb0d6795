"""Who is entitled to a death benefit, by heir class (PP 44/2015 Art. 37(5), 40(2))."""
