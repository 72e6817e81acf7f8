def main() -> int:  # replaced by the real entry point
    return 0
