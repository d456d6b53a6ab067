using System.Globalization;
using ChatMvc.Images;
using ChatMvc.Tests.Infrastructure;

namespace ChatMvc.Tests.Images;

public sealed class AvatarsTests
{
    [Theory]
    [InlineData("Ann Marie Example", "AE")]
    [InlineData("bo", "B")]
    [InlineData("Jean-Luc", "JL")]
    [InlineData("élodie ürk", "ÉÜ")]
    [InlineData("   ", "?")]
    public void Initials_are_the_first_letters_of_the_first_and_last_words(string name, string initials) =>
        Assert.Equal(initials, Avatars.Initials(name));

    [Theory]
    [InlineData("Design team (Q4)", "DT")]
    [InlineData("(Q4) planning", "P")]
    [InlineData("2024 offsite crew", "OC")]
    [InlineData("🎉 Party people", "PP")]
    [InlineData("Алёна Петрова", "АП")]
    [InlineData("山田 太郎", "山太")]
    [InlineData("(Q4)", "Q")]
    [InlineData("42 🎉 !!", "?")]
    [InlineData("e\u0301mile zola", "E\u0301Z")]
    public void Initials_come_from_letters_only_never_a_bracket_digit_or_emoji(string name, string initials) =>
        Assert.Equal(initials, Avatars.Initials(name));

    [Fact]
    public void Every_initials_background_has_at_least_4_5_to_1_contrast_with_white_text()
    {
        Assert.All(Avatars.Backgrounds, colour => Assert.True(
            ContrastWithWhite(colour) >= 4.5, $"{colour} has a contrast of {ContrastWithWhite(colour):0.00}:1 with white."));
    }

    [Fact]
    public void The_stylesheet_gives_each_initials_class_its_background_from_the_palette()
    {
        var css = File.ReadAllText(SourceTree.PathOf("ChatMvc", "wwwroot", "css", "site.css"));

        for (var i = 0; i < Avatars.Backgrounds.Count; i++)
        {
            Assert.Contains($".avatar-color-{i} {{ background-color: {Avatars.Backgrounds[i]}; }}", css);
        }
    }

    // Pinned, because the colour must survive a restart: a per-process hash (string.GetHashCode) would agree with
    // itself within one run and still give everyone another colour in the next.
    [Theory]
    [InlineData("Ann Example", 3)]
    [InlineData("Bea Example", 0)]
    [InlineData("Cy", 6)]
    [InlineData("élodie ürk", 1)]
    [InlineData("Jean-Luc Picard", 4)]
    public void The_same_name_always_gets_the_same_colour(string name, int colour) =>
        Assert.Equal(colour, Avatars.ColourOf(name));

    // WCAG 2 relative luminance and contrast ratio.
    private static double ContrastWithWhite(string hex)
    {
        double Channel(int offset)
        {
            var value = int.Parse(hex.AsSpan(offset, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return value <= 0.03928 ? value / 12.92 : Math.Pow((value + 0.055) / 1.055, 2.4);
        }

        var luminance = (0.2126 * Channel(1)) + (0.7152 * Channel(3)) + (0.0722 * Channel(5));
        return 1.05 / (luminance + 0.05);
    }
}
