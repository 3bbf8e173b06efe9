"""Only for running without the internet: loopback Reddit and Arctic Shift servers, the bundled sample, the tiny
GPT-2 builder. Nothing here is used against the real services."""
