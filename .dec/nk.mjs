await import('/work/main/dist/index.js')
