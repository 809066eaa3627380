// The `did` command-line host: placeholder until the language core lands.
print("did 0.1.0")
