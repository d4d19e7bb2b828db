"""The book's machinery, which a reader of the chapters need not read.

``settings``     quick or full: the build's settings, and the book's networks
``experiments``  the book's runs: each network trained once and cached
``cache``        the cache of trained networks: keys, entries, integrity
``seeds``        several seeds of a network, trained at once side by side
``claims``       the prose's claims about results, checked when the book is built
``notebook``     the chapters' hidden set-up cell, and ``glue`` outside a build
``machine``      the processor a measurement ran on, in one line
``build``        ``make book``'s command, and a copy of the checkout to run it in
"""
