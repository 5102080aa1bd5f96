using Microsoft.Extensions.Options;

namespace Caching;

/// <summary>
/// For <c>AddMultiLayerCache(options)</c>: the options system starts from the caller's instance instead of a new one,
/// so <c>Configure</c>, <c>PostConfigure</c> and validation apply to it and <c>MultiLayerCache.Options</c> is that instance.
/// </summary>
internal sealed class InstanceOptionsFactory(
    MultiLayerCacheOptions instance,
    IEnumerable<IConfigureOptions<MultiLayerCacheOptions>> setups,
    IEnumerable<IPostConfigureOptions<MultiLayerCacheOptions>> postConfigures,
    IEnumerable<IValidateOptions<MultiLayerCacheOptions>> validations)
    : OptionsFactory<MultiLayerCacheOptions>(setups, postConfigures, validations)
{
    protected override MultiLayerCacheOptions CreateInstance(string name) =>
        name == Options.DefaultName ? instance : base.CreateInstance(name);
}
