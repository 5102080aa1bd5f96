using Caching.HttpBenchmarks;

// Two roles in one binary: "serve" is one contestant's web app (the driver starts one process per contestant, so each
// has its own heap and its own allocation counter); anything else is the driver.
return args is ["serve", ..]
    ? await BenchServer.RunAsync(args[1..])
    : await Driver.RunAsync(args);
