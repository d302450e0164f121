await import('h3')
