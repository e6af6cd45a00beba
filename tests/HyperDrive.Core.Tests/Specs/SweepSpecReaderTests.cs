using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Spaces;
using HyperDrive.Core.Specs;

namespace HyperDrive.Core.Tests.Specs;

public sealed class SweepSpecReaderTests
{
    private static readonly string Good = Path.Combine(AppContext.BaseDirectory, "Specs", "specs", "good");

    private const string Minimal = """
        trial:
          command: python train.py --lr ${{search_space.lr}}
        search_space:
          lr: { type: uniform, min_value: 0.1, max_value: 0.5 }
        objective: { primary_metric: accuracy, goal: maximize }

        """;

    private static SweepSpec Read(string name)
    {
        var result = SweepSpecCorpusTests.ReadGuarded(Path.Combine(Good, name));
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        return result.Spec!;
    }

    private static SpecReadResult ReadText(string text) => SweepSpecReader.ReadText(text, Good, "inline");

    [Fact]
    public void Reader_should_keep_azure_docs_values_and_warn_about_cloud_only_keys()
    {
        var result = SweepSpecReader.ReadFile(Path.Combine(Good, "01-azure-docs-sweep.yml"));
        var spec = result.Spec!;

        Assert.Equal("random", spec.Sampling.Type);
        Assert.Null(spec.Sampling.Seed);
        Assert.Equal(new UniformExpression(0.5, 0.9), spec.SearchSpace["C"]!.Expression);
        Assert.Equal(ChoiceExpression.Of(new TextValue("rbf"), new TextValue("linear"), new TextValue("poly")), spec.SearchSpace["kernel"]!.Expression);
        Assert.Equal(new Objective("training_f1_score", Goal.Minimize), spec.Objective);
        Assert.Equal(20, spec.Limits.MaxTotalTrials);
        Assert.Equal(10, spec.Limits.MaxConcurrentTrials);
        Assert.Equal(7200, spec.Limits.TimeoutSeconds);
        Assert.Equal("median_stopping", spec.EarlyTermination!.Type);
        Assert.Equal(5, spec.EarlyTermination.DelayEvaluation);
        Assert.Equal("sklearn-iris-sweep-example", spec.ExperimentName);
        Assert.Equal(Path.Combine(Good, "src"), spec.Trial.Code);
        Assert.Contains("--iris-csv ${{inputs.iris_csv}}", spec.Trial.Command, StringComparison.Ordinal);
        var iris = Assert.Single(spec.Inputs);
        Assert.Equal(new TextValue("wasbs://datasets@azuremlexamples.blob.core.windows.net/iris.csv"), iris.Value);
        Assert.Contains(result.Warnings, w => w.Path == "compute" && w.Message.Contains("ignored", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Path == "trial.environment");
        Assert.Contains(result.Warnings, w => w.Path == "inputs.iris_csv.path");
    }

    [Fact]
    public void Reader_should_read_sweep_job_type_tags_properties_and_top_level_resources()
    {
        var result = SweepSpecReader.ReadFile(Path.Combine(Good, "02-sweep-job-type.yml"));
        var spec = result.Spec!;

        Assert.Equal("test_sweep_job_with_properties", spec.Name);
        Assert.Equal("1", spec.Tags["priority"]);
        Assert.Equal("sdk", spec.Properties["azureml.sweep.source"]);
        Assert.Equal("bayesian", spec.Sampling.Type);
        Assert.Equal(Goal.Maximize, spec.Objective.Goal);
        Assert.Equal(new QUniformExpression(16, 256, 16), spec.SearchSpace["batch_size"]!.Expression);
        foreach (var path in new[] { "identity", "queue_settings", "resources.instance_type", "resources.instance_count", "compute" })
        {
            Assert.Contains(result.Warnings, w => w.Path == path);
        }
    }

    [Fact]
    public void Reader_should_read_grid_with_mixed_choice_types_when_compute_is_missing()
    {
        var spec = Read("03-yaml-language-server.yml");

        Assert.Equal("grid", spec.Sampling.Type);
        Assert.Equal(ChoiceExpression.Of(new BooleanValue(true), new BooleanValue(false)), spec.SearchSpace["augment"]!.Expression);
        Assert.Equal(ChoiceExpression.Of(new IntegerValue(2), new IntegerValue(3), new IntegerValue(4)), spec.SearchSpace["layers"]!.Expression);
        Assert.Equal(ChoiceExpression.Of(new RealValue(0.1), new RealValue(0.25), new RealValue(0.5)), spec.SearchSpace["dropout"]!.Expression);
        Assert.Null(spec.Limits.MaxConcurrentTrials);
    }

    [Fact]
    public void Reader_should_resolve_code_as_single_file_and_as_local_path_mapping()
    {
        Assert.Equal(Path.Combine(Good, "src", "train.py"), Read("04-code-single-file.yml").Trial.Code);
        var spec = Read("05-code-local-path.yml");

        Assert.Equal(Path.Combine(Good, "src"), spec.Trial.Code);
        Assert.Equal(42, spec.Sampling.Seed);
        Assert.Equal(1200, spec.Trial.TimeoutSeconds);
        Assert.Equal("${{search_space.epochs}}", spec.Trial.EnvironmentVariables["EPOCHS"]);
        Assert.Equal("true", spec.Trial.EnvironmentVariables["AZUREML_COMPUTE_USE_COMMON_RUNTIME"]);
        Assert.Equal(new RandIntExpression(20), spec.SearchSpace["epochs"]!.Expression);
        Assert.Equal(new NormalExpression(0.9, 0.02), spec.SearchSpace["momentum"]!.Expression);
    }

    [Fact]
    public void Reader_should_read_inputs_and_outputs_in_every_azure_shape()
    {
        var result = SweepSpecReader.ReadFile(Path.Combine(Good, "06-environment-image-io.yml"));
        var spec = result.Spec!;

        Assert.Equal(Path.Combine(Good, "data"), spec.Inputs.Single(i => i.Name == "training_data").Path);
        Assert.Equal(new IntegerValue(42), spec.Inputs.Single(i => i.Name == "epochs").Value);
        Assert.Equal(new IntegerValue(7), spec.Inputs.Single(i => i.Name == "seed").Value);
        Assert.Equal(["model_dir", "logs", "scratch"], spec.Outputs.ToArray());
        Assert.Contains("--run ${{name}}", spec.Trial.Command, StringComparison.Ordinal);
        Assert.Contains(result.Warnings, w => w.Path == "trial.environment");
        Assert.Contains(result.Warnings, w => w.Path == "outputs.model_dir.path");
    }

    [Fact]
    public void Reader_should_load_a_component_file_and_bind_its_inputs_to_the_search_space()
    {
        var spec = Read("07-component-file-prefix.yml");

        Assert.Contains("--learning-rate ${{search_space.learning_rate}}", spec.Trial.Command, StringComparison.Ordinal);
        Assert.Contains("--max-depth ${{search_space.max_depth}}", spec.Trial.Command, StringComparison.Ordinal);
        Assert.Contains("--label ${{inputs.label_column}}", spec.Trial.Command, StringComparison.Ordinal);
        Assert.Equal(new TextValue("target"), spec.Inputs.Single(i => i.Name == "label_column").Value);
        Assert.Equal(Path.Combine(Good, "components"), spec.Trial.Code);

        var plain = Read("08-component-file-plain.yml");
        Assert.Contains("--learning-rate ${{search_space.lr}}", plain.Trial.Command, StringComparison.Ordinal);
        Assert.Equal(new TextValue("species"), plain.Inputs.Single(i => i.Name == "label_column").Value);
        Assert.Equal("sobol", plain.Sampling.Type);
    }

    [Fact]
    public void Reader_should_normalize_single_brace_placeholders()
    {
        var spec = Read("09-single-brace.yml");

        Assert.Equal(
            "python train.py --data ${{inputs.data}} --lr ${{search_space.lr}} --units ${{search_space.units}}",
            spec.Trial.Command);
    }

    [Fact]
    public void Reader_should_read_nested_choice_as_branches_and_constant_maps()
    {
        var spec = Read("10-nested-choice.yml");
        var model = Assert.IsType<ChoiceExpression>(spec.SearchSpace["model"]!.Expression);
        var yolo = model.Options[0].Branch!;

        Assert.Equal(new FixedExpression(new TextValue("yolo")), yolo["name"]!.Expression);
        Assert.Equal(new UniformExpression(0.001, 0.01), yolo["lr"]!.Expression);
        Assert.Equal(ChoiceExpression.Of(new TextValue("sgd"), new TextValue("adam")), model.Options[1].Branch!["optimizer"]!.Expression);

        var activation = Assert.IsType<ChoiceExpression>(spec.SearchSpace["activation"]!.Expression);
        Assert.Equal(
            new MapValue([KeyValuePair.Create("fn", (ParameterValue)new TextValue("relu")), KeyValuePair.Create("slope", (ParameterValue)new IntegerValue(0))]),
            activation.Options[0].Constant);
        var width = Assert.IsType<ChoiceExpression>(spec.SearchSpace["width"]!.Expression);
        Assert.Equal(ChoiceExpression.Of(new IntegerValue(1), new RealValue(2.5), new TextValue("wide"), new BooleanValue(true)), width);
    }

    [Fact]
    public void Reader_should_let_slack_factor_win_with_a_warning_when_bandit_has_both_slacks()
    {
        var result = SweepSpecReader.ReadFile(Path.Combine(Good, "11-bandit-both-slacks.yml"));
        var policy = result.Spec!.EarlyTermination!;

        Assert.Equal(0.1, policy.SlackFactor);
        Assert.Null(policy.SlackAmount);
        Assert.Equal(2, policy.EvaluationInterval);
        Assert.Equal(4, policy.DelayEvaluation);
        Assert.Contains(result.Warnings, w => w.Message.Contains("slack_factor wins", StringComparison.Ordinal));
    }

    [Fact]
    public void Reader_should_parse_the_expression_string_form()
    {
        var space = Read("12-expression-strings.yml").SearchSpace;

        Assert.Equal(new LogUniformExpression(-9.2, -2.3), space["lr"]!.Expression);
        Assert.Equal(ChoiceExpression.Of(new IntegerValue(16), new IntegerValue(32), new IntegerValue(64)), space["batch"]!.Expression);
        Assert.Equal(ChoiceExpression.Of(new TextValue("relu"), new TextValue("tanh")), space["act"]!.Expression);
        Assert.Equal(ChoiceExpression.Of([.. Enumerable.Range(1, 9).Select(i => (ParameterValue)new IntegerValue(i))]), space["layers"]!.Expression);
        Assert.Equal(ChoiceExpression.Of([.. Enumerable.Range(0, 10).Select(i => (ParameterValue)new IntegerValue(i * 10))]), space["units"]!.Expression);
        Assert.Equal(new QUniformExpression(16, 256, 16), space["width"]!.Expression);
        Assert.Equal(new RandIntExpression(10), space["seed"]!.Expression);
        Assert.Equal(new NormalExpression(0, 0.01), space["noise"]!.Expression);
    }

    [Fact]
    public void Reader_should_read_json_indented_with_tabs()
    {
        var spec = Read("13-sweep.json");

        Assert.Equal(123, spec.Sampling.Seed);
        Assert.Equal(Goal.Maximize, spec.Objective.Goal);
        Assert.Equal(20, spec.EarlyTermination!.TruncationPercentage);
        Assert.Equal(ChoiceExpression.Of(new IntegerValue(2), new IntegerValue(4), new IntegerValue(8)), spec.SearchSpace["depth"]!.Expression);
    }

    [Fact]
    public void Reader_should_report_line_and_column_of_a_json_error()
    {
        var result = ReadText("{\n  \"trial\": {\"command\": \"x\"},\n  \"limits\": {\"max_total_trials\": \"ten\"}\n}\n");
        var error = Assert.Single(result.Errors, e => e.Path == "limits.max_total_trials");

        Assert.Equal("expects an integer, got 'ten'", error.Message);
        Assert.Equal(3, error.Line);
        // 33 characters precede the value on its line: `  "limits": {"max_total_trials": `.
        Assert.Equal(34, error.Column);
    }

    [Fact]
    public void Reader_should_read_every_extension()
    {
        var spec = Read("14-extensions.yml");

        Assert.Equal("mlp", spec.Trial.Builtin);
        Assert.Equal(new IntegerValue(7), spec.Trial.BuiltinOptions["seed"]);
        Assert.Equal(0.5, spec.Trial.Resources.Gpus);
        Assert.Equal(8L * 1024 * 1024 * 1024, spec.Trial.Resources.GpuMemoryBytes);
        Assert.True(spec.Trial.Resources.RequireGpu);
        Assert.Equal(600, spec.Trial.TimeoutSeconds);
        Assert.Equal(2, spec.Trial.Retries);
        Assert.Equal("wmla", spec.Trial.Compat);
        Assert.Equal(5, spec.Limits.MaxFailedTrials);
        Assert.Equal(["sweep-2024-01", "sweep-2024-02"], spec.ResumeFrom.ToArray());
        Assert.Equal(new RegisterBestSpec("digits-mlp", OnlyIfBetter: false), spec.RegisterBest);
    }

    [Theory]
    [InlineData("8GB", 8L << 30)]
    [InlineData("8192MB", 8L << 30)]
    [InlineData("8GiB", 8L << 30)]
    [InlineData("1048576", 1L << 20)]
    [InlineData("512 KB", 512L << 10)]
    public void Reader_should_read_gpu_memory_in_binary_units(string text, long bytes)
    {
        var result = ReadText(Minimal.Replace("python train.py", "python train.py", StringComparison.Ordinal)
            + $"resources:\n  gpu_memory: {text}\n");

        Assert.Equal(bytes, result.Spec!.Trial.Resources.GpuMemoryBytes);
    }

    [Fact]
    public void Reader_should_store_wmla_tpe_options_under_canonical_names_and_take_random_seed()
    {
        var spec = Read("15-tpe-wmla.yml");

        Assert.Equal("tpe", spec.Sampling.Type);
        Assert.Equal(99, spec.Sampling.Seed);
        Assert.Equal(new IntegerValue(10), spec.Sampling.Options["n_startup_trials"]);
        Assert.Equal(new IntegerValue(24), spec.Sampling.Options["n_ei_candidates"]);
        Assert.Equal(new RealValue(0.25), spec.Sampling.Options["good_ratio"]);
        Assert.Equal(new IntegerValue(25), spec.Sampling.Options["good_max"]);
        Assert.True(spec.Trial.ArgsAuto);
    }

    [Fact]
    public void Reader_should_map_hyperband_sampling_to_random_with_a_hyperband_policy()
    {
        var spec = Read("16-hyperband.yml");

        Assert.Equal("random", spec.Sampling.Type);
        Assert.Equal(5, spec.Sampling.Seed);
        Assert.Equal("hyperband", spec.EarlyTermination!.Type);
        Assert.Equal(new IntegerValue(81), spec.EarlyTermination.Options["max_resource"]);
        Assert.Equal(new IntegerValue(3), spec.EarlyTermination.Options["eta"]);
    }

    [Fact]
    public void Reader_should_read_sobol_rule_logbase_and_interval_zero_as_one()
    {
        var result = SweepSpecReader.ReadFile(Path.Combine(Good, "17-truncation-sobol.yml"));
        var spec = result.Spec!;

        Assert.Equal("sobol", spec.Sampling.Rule);
        Assert.Equal(10, spec.Sampling.LogBase);
        Assert.Equal(1, spec.EarlyTermination!.EvaluationInterval);
        Assert.Equal(10, spec.EarlyTermination.DelayEvaluation);
        Assert.True(spec.EarlyTermination.ExcludeFinishedJobs);
        // qloguniform(1, 3, 10) in base 10: 10^1 = 10 and 10^3 = 1000 are multiples of 10, so no rounding warning.
        Assert.DoesNotContain(result.Warnings, w => w.Path == "search_space.n");
    }

    [Fact]
    public void Reader_should_read_steps_plugin_asha_and_merge_keys()
    {
        var steps = Read("18-steps-local-input.yml");
        Assert.Equal(2, steps.Trial.Steps.Length);
        Assert.Null(steps.Trial.Command);
        Assert.Equal("median_stopping", steps.EarlyTermination!.Type);
        Assert.Equal(1, steps.EarlyTermination.EvaluationInterval);

        var asha = Read("19-asha-cmaes.yml");
        Assert.Equal("cmaes", asha.Sampling.Type);
        Assert.Equal(new RealValue(0.3), asha.Sampling.Options["sigma0"]);
        Assert.Equal(new IntegerValue(27), asha.EarlyTermination!.Options["max_resource"]);

        var plugin = Read("20-plugin-anchors.yml");
        Assert.Equal(new TextValue("./my_sampler --json"), plugin.Sampling.Options["command"]);
        Assert.Equal(new UniformExpression(0.001, 0.5), plugin.SearchSpace["lr2"]!.Expression);
    }

    [Fact]
    public void Reader_should_warn_when_q_rounding_can_leave_the_bounds()
    {
        var result = ReadText(Minimal.Replace("{ type: uniform, min_value: 0.1, max_value: 0.5 }", "quniform(0.05, 0.75, 1)", StringComparison.Ordinal));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Contains(result.Warnings, w => w.Path == "search_space.lr" && w.Message.Contains("never clipped", StringComparison.Ordinal));
    }

    [Fact]
    public void Reader_should_report_all_errors_of_a_file_at_once()
    {
        const string text = """
            trial:
              comand: python x.py
            search_space:
              lr: uniform(5, 1)
              bs: randint(0)
            objective: { primary_metric: acc, goal: sideways }
            limits: { max_total_trials: ten, max_concurrent_trials: -1 }
            early_termination: { type: truncation_selection, truncation_percentage: 100 }
            """;

        var errors = ReadText(text).Errors.Select(e => e.Path).ToList();

        Assert.True(errors.Count >= 7, string.Join("\n", errors));
        Assert.Contains("trial.comand", errors);
        Assert.Contains("search_space.lr.min_value", errors);
        Assert.Contains("search_space.bs.upper", errors);
        Assert.Contains("objective.goal", errors);
        Assert.Contains("limits.max_total_trials", errors);
        Assert.Contains("limits.max_concurrent_trials", errors);
        Assert.Contains("early_termination.truncation_percentage", errors);
    }

    [Fact]
    public void Reader_should_leave_the_seed_null_when_absent()
    {
        var spec = ReadText(Minimal + "sampling_algorithm: { type: random }\n").Spec!;

        Assert.Null(spec.Sampling.Seed);
    }

    [Fact]
    public void Reader_should_apply_configured_trial_caps_and_none_by_default()
    {
        var text = Minimal + "limits: { max_total_trials: 5000, max_concurrent_trials: 500 }\n";

        Assert.True(ReadText(text).Succeeded);
        var capped = SweepSpecReader.ReadText(text, Good, "inline", new SpecReaderOptions { MaxTotalTrialsCap = 1000, MaxConcurrentTrialsCap = 100 });
        Assert.Contains(capped.Errors, e => e.Path == "limits.max_total_trials");
        Assert.Contains(capped.Errors, e => e.Path == "limits.max_concurrent_trials");
    }

    [Fact]
    public void Reader_should_refuse_a_file_over_the_size_cap_without_parsing_it()
    {
        var folder = Directory.CreateTempSubdirectory("hyperdrive-spec-");
        try
        {
            var path = Path.Combine(folder.FullName, "huge.yml");
            using (var stream = File.Create(path))
            {
                stream.SetLength(50L * 1024 * 1024);
            }

            var result = SweepSpecCorpusTests.ReadGuarded(path);

            var error = Assert.Single(result.Errors);
            Assert.Contains("52428800 bytes", error.Message, StringComparison.Ordinal);
            Assert.Contains("cap of 10485760 bytes", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Reader_should_suggest_the_closest_key()
    {
        Assert.Equal("max_total_trials", SpecVocabulary.Suggest("max_total_trails", SpecVocabulary.Limits));
        Assert.Equal("primary_metric", SpecVocabulary.Suggest("primary_metrc", SpecVocabulary.Objective));
        Assert.Null(SpecVocabulary.Suggest("completely_unrelated", SpecVocabulary.Limits));
    }

    [Fact]
    public void Reader_should_not_throw_when_text_is_binary_or_path_is_missing()
    {
        Assert.Contains(ReadText("trial:\0\u0001garbage").Errors, e => e.Message.Contains("not a YAML or JSON text", StringComparison.Ordinal));
        Assert.Contains(SweepSpecReader.ReadFile(Path.Combine(Good, "no-such-file.yml")).Errors, e => e.Message.Contains("file not found", StringComparison.Ordinal));
    }
}
