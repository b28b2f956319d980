"""Text from outside made safe and readable: sanitising, HTML to text, word forms, time formats."""
