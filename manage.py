#!/usr/bin/env python
from sangsaeng.cli import main

if __name__ == "__main__":
    main()
